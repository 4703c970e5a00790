// Train ▸ Find Learning Rate… on the spirals MLP: the sweep runs on a worker (the window stays
// responsive), the dialog plots every point on a log axis with the suggestion marked, Apply sets the
// project's learning rate as one undo step that Ctrl+Z takes back (not merged with a rate typed before),
// and Cancel stops a sweep. Set NETDRAFT_SCREENSHOTS to a folder to keep a picture of the dialog.

#include "app/gui/MainWindow.h"
#include "app/gui/ProjectSession.h"
#include "editor/GraphDocument.h"
#include "editor/commands/SetSetting.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/LearningRateFinderDialog.h"
#include "widgets/QCustomPlotInclude.h"

#include <QAction>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace netdraft;

namespace {

QPushButton* buttonNamed(QWidget& parent, const QString& text)
{
    for (QPushButton* button : parent.findChildren<QPushButton*>())
        if (button->text() == text)
            return button;
    return nullptr;
}

} // namespace

class LearningRateFinderFromWindowTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;

private Q_SLOTS:
    void initTestCase() { tests::isolateUserFolders(folder_); }

    void sweepPlotApplyAndUndo()
    {
        auto window = tests::shownWindow();
        QVERIFY(window->openProject(QStringLiteral(NETDRAFT_SOURCE_DIR "/projects/mlp_spirals.netdraft")));
        editor::GraphDocument& document = window->session().document();
        QCOMPARE(window->session().project().training.learningRate, 0.01);
        // A rate typed in the settings panel just before: Apply must not merge into that step.
        document.push(new editor::commands::SetSetting(
            document, editor::SettingSection::Training, "learning_rate", engine::ParamValue(0.02)));

        auto* action = window->findChild<QAction*>(QStringLiteral("trainFindLearningRate"));
        QVERIFY(action);
        action->trigger();
        auto* dialog = window->findChild<widgets::LearningRateFinderDialog*>();
        QVERIFY(dialog);
        QSignalSpy finished(dialog, &widgets::LearningRateFinderDialog::sweepFinished);
        QVERIFY(dialog->isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QCOMPARE(finished.front().front().toString(), QString());
        QVERIFY(!dialog->isRunning());
        QVERIFY(dialog->finding().has_value());
        const engine::LearningRateFinding& finding = *dialog->finding();
        QVERIFY(finding.points.size() >= 10);
        QVERIFY(finding.suggestedRate.has_value());
        QVERIFY2(*finding.suggestedRate > 1e-4 && *finding.suggestedRate < 1,
            qPrintable(QString::number(*finding.suggestedRate)));

        // The plot: every point of the curve, on a logarithmic rate axis, the suggestion marked there.
        QCustomPlot* plot = dialog->plot();
        QCOMPARE(plot->xAxis->scaleType(), QCPAxis::stLogarithmic);
        QCOMPARE(plot->graph(1)->data()->size(), static_cast<int>(finding.points.size()));
        QCOMPARE(plot->graph(1)->data()->at(0)->key, finding.points.front().learningRate);
        QCOMPARE(plot->graph(1)->data()->at(0)->value, finding.points.front().smoothedLoss);
        bool marked = false;
        for (int i = 0; i < plot->itemCount(); ++i)
            if (auto* line = qobject_cast<QCPItemStraightLine*>(plot->item(i)))
                marked = line->visible() && line->point1->coords().x() == *finding.suggestedRate;
        QVERIFY(marked);
        auto* rate = dialog->findChild<QLineEdit*>(QStringLiteral("rateToApply"));
        QVERIFY(rate);
        QCOMPARE(rate->text(), QString::number(*finding.suggestedRate, 'g', 3));
        // The project itself did not change during the sweep.
        QCOMPARE(window->session().project().training.learningRate, 0.02);

        const QByteArray screenshots = qgetenv("NETDRAFT_SCREENSHOTS");
        if (!screenshots.isEmpty())
            dialog->grab().save(QString::fromLocal8Bit(screenshots) + "/learning-rate-finder.png");

        QPushButton* apply = buttonNamed(*dialog, QStringLiteral("&Apply"));
        QVERIFY(apply && apply->isEnabled());
        const int steps = document.undoStack()->count();
        QTest::mouseClick(apply, Qt::LeftButton);
        const double applied = rate->text().toDouble();
        QCOMPARE(window->session().project().training.learningRate, applied);
        QCOMPARE(document.undoStack()->count(), steps + 1);
        document.undoStack()->undo(); // Ctrl+Z
        QCOMPARE(window->session().project().training.learningRate, 0.02);
        document.undoStack()->undo();
        QCOMPARE(window->session().project().training.learningRate, 0.01);
        document.undoStack()->redo();
        document.undoStack()->redo();
        QCOMPARE(window->session().project().training.learningRate, applied);
    }

    void cancelStopsTheSweep()
    {
        auto window = tests::shownWindow();
        QVERIFY(window->openProject(QStringLiteral(NETDRAFT_SOURCE_DIR "/projects/mlp_spirals.netdraft")));
        window->findChild<QAction*>(QStringLiteral("trainFindLearningRate"))->trigger();
        auto* dialog = window->findChild<widgets::LearningRateFinderDialog*>();
        QVERIFY(dialog);
        QSignalSpy finished(dialog, &widgets::LearningRateFinderDialog::sweepFinished);
        dialog->cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QVERIFY(dialog->finding().has_value());
        QVERIFY(dialog->finding()->stopped);
        // The sweep runs on a worker that may finish a step or two before it sees the cancel.
        QVERIFY(dialog->finding()->points.size() < static_cast<size_t>(dialog->finding()->batchesPlanned));
        QCOMPARE(window->session().project().training.learningRate, 0.01);
        // A bad range is refused by message, without a sweep.
        dialog->findChild<QLineEdit*>(QStringLiteral("minimumRate"))->setText(QStringLiteral("1"));
        dialog->findChild<QLineEdit*>(QStringLiteral("maximumRate"))->setText(QStringLiteral("0.1"));
        dialog->start();
        QCOMPARE(finished.count(), 2);
        QCOMPARE(finished.back().front().toString(),
            QStringLiteral("learning-rate finder: the highest rate must be greater than the lowest (1), got 0.1"));
        QVERIFY(!dialog->isRunning());
    }
};

NETDRAFT_TEST(LearningRateFinderFromWindowTest);
#include "LearningRateFinderFromWindowTest.moc"
