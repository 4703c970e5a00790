// Runner for suites with widgets (editor, widgets, app); CTest sets QT_QPA_PLATFORM=offscreen.
#include "tests/support/TestRegistry.h"

#include <QApplication>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    return netdraft::tests::runRegisteredTests(argc, argv);
}
