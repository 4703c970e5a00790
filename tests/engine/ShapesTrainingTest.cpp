// End to end on generated data: the corrected classic CNN learns the Shapes dataset through
// prepareData and Trainer::forProject, as a project would train.

#include <torch/torch.h>

#include "engine/data/PreparedData.h"
#include "engine/train/Trainer.h"
#include "tests/engine/TestGraphs.h"
#include "tests/support/TestRegistry.h"

#include <QElapsedTimer>
#include <QTest>

using namespace netdraft::engine;

class ShapesTrainingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void classicCnnLearnsShapes()
    {
        Project project;
        project.graph = netdraft::tests::classicCnn(true);
        project.dataset.kind = "shapes";
        project.dataset.samples = 3000;
        project.dataset.validationFraction = 0.1;
        project.dataset.testFraction = 0.1;
        project.training.optimizer = "adam";
        project.training.learningRate = 0.001;
        project.training.batchSize = 32;
        project.training.epochs = 6;
        project.training.seed = 1;

        QElapsedTimer timer;
        timer.start();
        PreparedData data = prepareData(project.dataset, ".", expectedData(project));
        auto trainer = Trainer::forProject(project, std::move(data));
        std::vector<double> validationAccuracy;
        trainer->setObserver({ {}, [&](const EpochReport& report) {
                                  validationAccuracy.push_back(*report.validation->accuracy);
                                  qInfo("epoch %lld: loss %.4f, validation accuracy %.3f (%.1f s)",
                                      static_cast<long long>(report.epoch), report.train.loss,
                                      *report.validation->accuracy, report.seconds);
                              } });
        const TrainingResult result = trainer->run();
        qInfo("%lld ms in all", static_cast<long long>(timer.elapsed()));
        QCOMPARE(toString(result.reason), "completed");
        QVERIFY2(validationAccuracy.back() >= 0.9, qPrintable(QString::number(validationAccuracy.back())));
        QVERIFY(result.test && *result.test->accuracy >= 0.85);
    }
};

NETDRAFT_TEST(ShapesTrainingTest);
#include "ShapesTrainingTest.moc"
