// Runner for suites that need no widgets (engine tests).
#include "tests/support/TestRegistry.h"

#include <QCoreApplication>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    return netdraft::tests::runRegisteredTests(argc, argv);
}
