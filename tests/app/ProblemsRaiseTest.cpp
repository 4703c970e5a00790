// The Problems tab comes forward when errors first appear (issue 16, readability): an edit that
// takes the design from no errors to some raises it over Training Progress; further edits while
// errors persist leave the tab the user chose; a Train attempt refused because of errors raises it
// again and starts no run. Raising never takes the keyboard focus.

#include "app/gui/MainWindow.h"
#include "app/gui/ProjectSession.h"
#include "app/gui/TrainingController.h"
#include "editor/GraphDocument.h"
#include "editor/commands/SetParameter.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/editing/ProblemsWidget.h"

#include <QApplication>
#include <QDockWidget>
#include <QLineEdit>
#include <QListWidget>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace netdraft;

namespace {

bool problemsShown(const QWidget* widget)
{
    return widget->isVisible() && !widget->visibleRegion().isEmpty();
}

/// Sets one parameter through the undo stack and waits for inference to follow.
bool editAndInfer(editor::GraphDocument& document, const char* block, const char* name, engine::ParamValue value)
{
    document.push(new editor::commands::SetParameter(document, block, name, std::move(value)));
    return QTest::qWaitFor([&] { return !document.inferencePending(); }, 10000);
}

} // namespace

class ProblemsRaiseTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;

private Q_SLOTS:
    void initTestCase() { tests::isolateUserFolders(folder_); }

    void errorsBringProblemsForwardOnce()
    {
        app::MainWindow window(std::make_unique<tests::ScriptedPrompts>());
        window.resize(1366, 698);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(window.openProject(QStringLiteral(NETDRAFT_SOURCE_DIR "/projects/classic_cnn.netdraft")));
        editor::GraphDocument& document = window.session().document();
        QVERIFY(QTest::qWaitFor([&] { return !document.inferencePending(); }, 10000));
        QVERIFY(!document.latestInference().hasErrors());
        auto* problems = window.findChild<QDockWidget*>(QStringLiteral("problemsDock"));
        auto* plots = window.findChild<QDockWidget*>(QStringLiteral("plotsDock"));
        QVERIFY(problems && plots);
        plots->raise();
        QTest::qWait(20);
        QVERIFY(!problemsShown(problems));
        // The user types somewhere: raising must leave the focus there.
        auto* field = new QLineEdit(&window);
        field->setObjectName(QStringLiteral("typingHere"));
        field->show();
        field->setFocus();
        QTRY_COMPARE(QApplication::focusWidget(), field);

        // 0 → 1 error: Problems in front, listing it.
        QVERIFY(editAndInfer(document, "fc", "in_features", engine::ParamValue(int64_t(999))));
        QVERIFY(document.latestInference().hasErrors());
        QTRY_VERIFY(problemsShown(problems));
        QVERIFY(!problemsShown(plots));
        QCOMPARE(QApplication::focusWidget(), field);
        auto* list = window.findChild<widgets::ProblemsWidget*>();
        QVERIFY(list && list->list()->count() >= 1);

        // Errors persist: the user's choice of tab stays.
        plots->raise();
        QTest::qWait(20);
        QVERIFY(editAndInfer(document, "fc", "in_features", engine::ParamValue(int64_t(998))));
        QVERIFY(editAndInfer(document, "conv1", "out_channels", engine::ParamValue(int64_t(16))));
        QVERIFY(document.latestInference().hasErrors());
        QTest::qWait(50);
        QVERIFY(problemsShown(plots));
        QVERIFY(!problemsShown(problems));

        // Fixed, then broken again: forward again.
        document.undoStack()->undo();
        document.undoStack()->undo();
        document.undoStack()->undo();
        QVERIFY(QTest::qWaitFor([&] { return !document.inferencePending(); }, 10000));
        QVERIFY(!document.latestInference().hasErrors());
        QVERIFY(problemsShown(plots));
        QVERIFY(editAndInfer(document, "fc", "in_features", engine::ParamValue(int64_t(999))));
        QTRY_VERIFY(problemsShown(problems));
        QCOMPARE(QApplication::focusWidget(), field);
    }

    void refusedTrainingBringsProblemsForward()
    {
        app::MainWindow window(std::make_unique<tests::ScriptedPrompts>());
        window.resize(1366, 698);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openProject(QStringLiteral(NETDRAFT_SOURCE_DIR "/projects/classic_cnn.netdraft")));
        editor::GraphDocument& document = window.session().document();
        QVERIFY(editAndInfer(document, "fc", "in_features", engine::ParamValue(int64_t(999))));
        QVERIFY(document.latestInference().hasErrors());
        auto* problems = window.findChild<QDockWidget*>(QStringLiteral("problemsDock"));
        auto* plots = window.findChild<QDockWidget*>(QStringLiteral("plotsDock"));
        plots->raise();
        QTest::qWait(20);
        QVERIFY(!problemsShown(problems));

        window.action(QStringLiteral("trainStart"))->trigger();
        QTRY_VERIFY(problemsShown(problems));
        QVERIFY(!window.training().isActive());
        QCOMPARE(window.statusBar()->currentMessage(),
            QStringLiteral("Not training: the design has 1 error (see Problems)"));
        // A closed list opens again for a refusal.
        problems->close();
        QVERIFY(!window.startTraining());
        QTRY_VERIFY(problemsShown(problems));
        QVERIFY(!window.training().isActive());
    }
};

NETDRAFT_TEST(ProblemsRaiseTest);
#include "ProblemsRaiseTest.moc"
