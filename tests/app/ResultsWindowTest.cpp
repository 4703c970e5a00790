// The results in a large window (issue 16, readability at 1366×768): the docked Results tab leaves
// the confusion matrix too small for its counts; View ▸ Results in a Large Window (Ctrl+Shift+R) or
// the button beside the summary floats the Results over the whole window, where a 10×10 matrix shows
// every count (at least 9 pt), the gallery more samples a row and the per-class table; the same
// action, key or button puts it back in its tab.

#include "app/gui/MainWindow.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/ConfusionMatrixWidget.h"
#include "widgets/PredictionGalleryWidget.h"
#include "widgets/RunRecord.h"
#include "widgets/TrainingResultsWidget.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace netdraft;

namespace {

// 1366×768 less a 40 px taskbar and a 30 px title bar.
constexpr int kResultsWindowWidth = 1366;
constexpr int kResultsWindowHeight = 768 - 40 - 30;

/// A finished run of ten classes: tens on the diagonal, one cell of 1000.
widgets::RunRecord tenClassRun()
{
    widgets::RunRecord run;
    run.number = 1;
    run.stopReason = QStringLiteral("completed");
    run.epochsCompleted = 2;
    run.testAccuracy = 0.52;
    run.testLoss = 1.31;
    run.classNames = { "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck" };
    run.confusionMatrix.assign(10, std::vector<int64_t>(10));
    for (int t = 0; t < 10; ++t) {
        for (int p = 0; p < 10; ++p)
            run.confusionMatrix[t][p] = t == p ? 40 + t : (t * 7 + p * 3) % 10;
        run.perClassAccuracy.push_back(0.4 + 0.01 * t);
    }
    run.confusionMatrix[3][3] = 1000;
    return run;
}

bool resultsShown(const QWidget* widget)
{
    return widget->isVisible() && !widget->visibleRegion().isEmpty();
}

bool resultsInMenu(const QMenu* menu, const QAction* action)
{
    for (const QAction* entry : menu->actions())
        if (entry == action || (entry->menu() && resultsInMenu(entry->menu(), action)))
            return true;
    return false;
}

} // namespace

class ResultsWindowTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;

private Q_SLOTS:
    void initTestCase() { tests::isolateUserFolders(folder_); }

    void aLargeWindowShowsEveryCount()
    {
        app::MainWindow window(std::make_unique<tests::ScriptedPrompts>());
        window.resize(kResultsWindowWidth, kResultsWindowHeight);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openProject(QStringLiteral(NETDRAFT_SOURCE_DIR "/projects/classic_cnn.netdraft")));
        window.resize(kResultsWindowWidth, kResultsWindowHeight);
        QTest::qWait(100);
        widgets::TrainingResultsWidget* results = window.results();
        results->showRun(tenClassRun());
        auto* dock = window.findChild<QDockWidget*>(QStringLiteral("resultsDock"));
        QVERIFY(dock);
        dock->raise();
        QTest::qWait(50);
        widgets::ConfusionMatrixWidget* matrix = results->confusionMatrix();
        const int dockedCell = matrix->cellRect(0, 0).width();
        qInfo("docked: matrix %d×%d, cells %d px, counts %s", matrix->width(), matrix->height(), dockedCell,
            matrix->cellCountsShown() ? "shown" : "in the tooltips");

        QAction* large = window.action(QStringLiteral("viewResultsWindow"));
        QVERIFY(large);
        QCOMPARE(large->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
        QMenu* view = nullptr;
        for (QAction* menu : window.menuBar()->actions())
            if (menu->menu() && menu->text().remove('&') == QLatin1String("View"))
                view = menu->menu();
        QVERIFY(view && resultsInMenu(view, large));
        QVERIFY(!large->isChecked());

        // The button beside the summary.
        QToolButton* button = results->windowButton();
        QVERIFY(resultsShown(button));
        QCOMPARE(button->text(), QStringLiteral("Open in a Large Window"));
        button->click();
        QTRY_VERIFY(dock->isFloating());
        QVERIFY(large->isChecked());
        QCOMPARE(button->text(), QStringLiteral("Back to the Dock"));
        QTRY_VERIFY2(dock->width() >= kResultsWindowWidth - 20 && dock->height() >= kResultsWindowHeight - 40,
            qPrintable(QStringLiteral("%1×%2").arg(dock->width()).arg(dock->height())));
        QTRY_VERIFY(matrix->cellCountsShown());
        QVERIFY2(matrix->cellRect(0, 0).width() >= 30 && matrix->cellRect(0, 0).width() > dockedCell,
            qPrintable(QStringLiteral("cells %1 px").arg(matrix->cellRect(0, 0).width())));
        QVERIFY(matrix->cellCountFont().pointSizeF() >= 9.0);
        qInfo("large: matrix %d×%d, cells %d px, gallery %d px wide", matrix->width(), matrix->height(),
            matrix->cellRect(0, 0).width(), results->predictions()->width());
        // The square matrix takes no width it cannot use; the gallery has the rest.
        QVERIFY2(matrix->width() <= matrix->height() + 40 && matrix->cellRect(0, 0).width() >= 36,
            qPrintable(QStringLiteral("matrix %1×%2").arg(matrix->width()).arg(matrix->height())));
        QVERIFY(results->predictions()->width() >= 4 * 124);
        QVERIFY(resultsShown(matrix));
        QVERIFY(resultsShown(results->perClassTable()));
        QVERIFY(resultsShown(results->predictions()));
        QCOMPARE(results->perClassTable()->rowCount(), 10);

        // The same button puts it back in its tab, the tab in front.
        button->click();
        QTRY_VERIFY(!dock->isFloating());
        QVERIFY(!large->isChecked());
        QVERIFY(resultsShown(results));
        QCOMPARE(button->text(), QStringLiteral("Open in a Large Window"));

        // The menu's action both ways.
        large->trigger();
        QTRY_VERIFY(dock->isFloating());
        large->trigger();
        QTRY_VERIFY(!dock->isFloating());
    }

    void theShortcutOpensAndCloses()
    {
        app::MainWindow window(std::make_unique<tests::ScriptedPrompts>());
        window.resize(kResultsWindowWidth, kResultsWindowHeight);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        auto* dock = window.findChild<QDockWidget*>(QStringLiteral("resultsDock"));
        QTest::keySequence(&window, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
        QTRY_VERIFY(dock->isFloating());
        // From the results window itself, now the active one.
        QTRY_VERIFY(dock->isActiveWindow());
        QTest::keySequence(dock, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
        QTRY_VERIFY(!dock->isFloating());
    }
};

NETDRAFT_TEST(ResultsWindowTest);
#include "ResultsWindowTest.moc"
