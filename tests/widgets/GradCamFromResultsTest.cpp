// Grad-CAM from the results (issue 20): double-clicking a sample of the prediction gallery opens the
// Grad-CAM window of that sample, double-clicking a confusion-matrix cell the window of that cell's
// samples; the maps shown are the engine's Grad-CAM of those samples with the run's weights.

#include "engine/export/ExportService.h"
#include "engine/insight/GradCam.h"
#include "tests/engine/TinyCnnProject.h"
#include "tests/support/TestRegistry.h"
#include "widgets/ConfusionMatrixWidget.h"
#include "widgets/GradCamView.h"
#include "widgets/PredictionGalleryWidget.h"
#include "widgets/TrainingResultsWidget.h"

#include <QDir>
#include <QListWidget>
#include <QPointer>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace netdraft;
using widgets::GradCamView;
using widgets::PredictionGalleryWidget;

namespace {

/// Weights of the tiny CNN other than its seed's, as a run would leave them.
QString writeWeights(const QTemporaryDir& folder)
{
    engine::ExportRequest request;
    request.project = tests::tinyCnnProject();
    request.project.training.seed = 5;
    request.format = "state_dict";
    request.outputPath = folder.filePath(QStringLiteral("weights.pt")).toStdString();
    engine::exportProject(request);
    return QString::fromStdString(request.outputPath);
}

GradCamView* waitForGradCam(QWidget* parent)
{
    auto* view = parent->findChild<GradCamView*>();
    if (!view)
        return nullptr;
    if (view->maps().empty()) {
        QSignalSpy loaded(view, &GradCamView::loaded);
        if (!loaded.wait(60000))
            return nullptr;
    }
    return view;
}

} // namespace

class GradCamFromResultsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void doubleClickOnAGallerySample()
    {
        QTemporaryDir folder;
        const QString weights = writeWeights(folder);
        const engine::Project project = tests::tinyCnnProject();
        PredictionGalleryWidget gallery;
        gallery.resize(700, 500);
        gallery.show();
        QSignalSpy loaded(&gallery, &PredictionGalleryWidget::loaded);
        gallery.load(project, QString(), weights);
        QVERIFY(loaded.wait(60000));
        QVERIFY(gallery.shownCount() > 3);
        auto* grid = gallery.findChild<QListWidget*>(QStringLiteral("predictionGrid"));
        const int64_t index = gallery.shownIndexes()[3];
        QVERIFY(QTest::qWaitForWindowExposed(&gallery));
        grid->doItemsLayout(); // icon mode lays its items out later
        const QRect item = grid->visualItemRect(grid->item(3));
        QCOMPARE(grid->itemAt(item.center()), grid->item(3));
        QSignalSpy doubleClicked(grid, &QListWidget::itemDoubleClicked);
        // A real double-click: press, release, then the double-click event (QTest's alone lacks the press).
        QTest::mouseClick(grid->viewport(), Qt::LeftButton, {}, item.center());
        QTest::mouseDClick(grid->viewport(), Qt::LeftButton, {}, item.center());
        QCOMPARE(doubleClicked.count(), 1);
        GradCamView* view = waitForGradCam(&gallery);
        QVERIFY(view);
        QCOMPARE(view->title(), QStringLiteral("test sample %1").arg(index));
        QCOMPARE(view->maps().size(), size_t(1));
        QCOMPARE(view->shownCount(), 1);

        // The engine's Grad-CAM of that sample with those weights, apart from the window.
        const engine::BlockViewer viewer(project, "", weights.toStdString());
        const engine::GradCamMap expected = engine::gradCam(viewer, index);
        const engine::GradCamMap& shown = view->maps()[0];
        QCOMPARE(shown.sample.index, index);
        QCOMPARE(shown.classIndex, gallery.predictions().samples[size_t(index)].predicted);
        QCOMPARE(shown.blockId, std::string("relu2"));
        QCOMPARE(shown.heat, expected.heat);
        QVERIFY(view->message().startsWith(QStringLiteral("Feature maps of relu2 (6×8×8)")));
        QCOMPARE(view->picture(0).isNull(), false);

        // Another class for every sample.
        view->setClass(7);
        QVERIFY(view->busy()); // worked out on the worker
        QTRY_VERIFY_WITH_TIMEOUT(!view->busy(), 60000);
        QCOMPARE(view->maps()[0].classIndex, int64_t(7));
        QCOMPARE(view->maps()[0].heat, engine::gradCam(viewer, index, 7).heat);
    }

    void closingWhileTheMapsAreWorkedOutIsSafe()
    {
        // Closed while loading, and closed while 20 maps are being worked out after a new class: the
        // window goes (the work stops after the sample running), and no result reaches it afterwards.
        std::vector<int64_t> all(20);
        for (size_t i = 0; i < all.size(); ++i)
            all[i] = int64_t(i);
        for (const bool loadFirst : { false, true }) {
            auto* view = new GradCamView;
            view->setAttribute(Qt::WA_DeleteOnClose);
            QPointer<GradCamView> guard(view);
            QSignalSpy loaded(view, &GradCamView::loaded);
            view->open(tests::tinyCnnProject(), QString(), QString(), all, QStringLiteral("all"));
            view->show();
            if (loadFirst) {
                QVERIFY(loaded.wait(60000));
                QCOMPARE(view->maps().size(), all.size());
                view->setClass(3);
                QVERIFY(view->findChild<QProgressBar*>(QStringLiteral("gradCamBusy"))->isVisible());
            }
            QVERIFY(view->busy());
            view->close();
            QTRY_VERIFY(guard.isNull());
            QTest::qWait(50); // anything queued to the window would arrive now
        }
    }

    void doubleClickOnAConfusionMatrixCell()
    {
        QTemporaryDir folder;
        const QString weights = writeWeights(folder);
        widgets::TrainingResultsWidget results;
        results.resize(1200, 600);
        results.show();
        QSignalSpy loaded(results.predictions(), &PredictionGalleryWidget::loaded);
        results.predictions()->load(tests::tinyCnnProject(), QString(), weights);
        QVERIFY(loaded.wait(60000));
        const engine::TestPredictions& predictions = results.predictions()->predictions();
        // The run's matrix, counted from the predictions; its fullest cell is the one opened.
        std::vector<std::vector<int64_t>> counts(10, std::vector<int64_t>(10, 0));
        for (const auto& sample : predictions.samples)
            ++counts[size_t(sample.sample.label)][size_t(sample.predicted)];
        QStringList names;
        for (const std::string& name : predictions.classNames)
            names << QString::fromStdString(name);
        results.confusionMatrix()->setMatrix(counts, names);
        int truth = 0, predicted = 0;
        for (int t = 0; t < 10; ++t)
            for (int p = 0; p < 10; ++p)
                if (counts[size_t(t)][size_t(p)] > counts[size_t(truth)][size_t(predicted)])
                    truth = t, predicted = p;
        QVERIFY(counts[size_t(truth)][size_t(predicted)] >= 2);
        QTest::mouseDClick(results.confusionMatrix(), Qt::LeftButton, {},
            results.confusionMatrix()->cellRect(truth, predicted).center());
        GradCamView* view = waitForGradCam(results.predictions());
        QVERIFY(view);
        std::vector<int64_t> expected;
        for (const auto& sample : predictions.samples)
            if (sample.sample.label == truth && sample.predicted == predicted)
                expected.push_back(sample.index);
        std::vector<int64_t> shown;
        for (const auto& map : view->maps()) {
            shown.push_back(map.sample.index);
            QCOMPARE(map.classIndex, int64_t(predicted));
        }
        QCOMPARE(shown, expected);
        QCOMPARE(view->shownCount(), int(expected.size()));
        QCOMPARE(view->title(), QStringLiteral("true %1, predicted %2").arg(names[truth], names[predicted]));
    }
};

NETDRAFT_TEST(GradCamFromResultsTest);
#include "GradCamFromResultsTest.moc"
