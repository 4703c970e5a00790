// StepOptions::readLossAfterBackward (the trainer's one wait for the GPU per step): the loss read with
// the gradient sums after backward equals the loss forward() reads, the weights step exactly as without
// it, and a NaN loss skips the optimizer step so the weights stay those of the previous step.

#include <torch/torch.h>

#include "engine/model/GraphModel.h"
#include "engine/train/TrainingStep.h"
#include "tests/engine/TrainingFixtures.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <cmath>

using namespace netdraft::engine;
using netdraft::tests::largestDifference;
using netdraft::tests::smallClassifier;

namespace {

StepOptions checked(bool readLossAfterBackward)
{
    StepOptions options;
    options.checkGradients = true;
    options.readLossAfterBackward = readLossAfterBackward;
    return options;
}

} // namespace

class TrainingStepLossReadTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theLossReadAfterBackwardIsTheSameLossAndTheSameStep()
    {
        GraphModel early = buildModel(smallClassifier(8), 3);
        GraphModel late = buildModel(smallClassifier(8), 3);
        const LossFunction loss("cross_entropy");
        TrainingStep readEarly(early, {}, { torch::kCPU }, loss, checked(false));
        TrainingStep readLate(late, {}, { torch::kCPU }, loss, checked(true));
        torch::optim::SGD a(early->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));
        torch::optim::SGD b(late->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));
        torch::manual_seed(11);
        for (int step = 0; step < 3; ++step) {
            const torch::Tensor inputs = torch::randn({ 16, 8 });
            const torch::Tensor targets = torch::randint(0, 3, { 16 });
            const StepForward early = readEarly.forward(inputs, targets);
            const StepForward late = readLate.forward(inputs, targets);
            QVERIFY(std::isnan(late.lossValue)); // not read yet: no wait in forward()
            QVERIFY(std::isfinite(early.lossValue));
            QVERIFY(readEarly.backwardAndStep(a));
            QVERIFY(readLate.backwardAndStep(b));
            QVERIFY(!readLate.lastLossNonFinite());
            QCOMPARE(readLate.lastLossValue(), early.lossValue);
            // The same loss as plain LibTorch on the weights before the step would give is checked by
            // MixedPrecisionTest and TrainerTest; here: both ways step identically.
        }
        QCOMPARE(largestDifference(early->parameters(), late->parameters()), 0.0);
    }

    void aNaNLossSkipsTheStep()
    {
        GraphModel model = buildModel(smallClassifier(8), 5);
        TrainingStep step(model, {}, { torch::kCPU }, LossFunction("cross_entropy"), checked(true));
        torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
        std::vector<torch::Tensor> before;
        for (const torch::Tensor& parameter : model->parameters())
            before.push_back(parameter.detach().clone());
        torch::Tensor inputs = torch::randn({ 8, 8 });
        inputs[2][1] = std::numeric_limits<float>::quiet_NaN();
        step.forward(inputs, torch::randint(0, 3, { 8 }));
        QVERIFY(!step.backwardAndStep(optimizer));
        QVERIFY(step.lastLossNonFinite());
        QVERIFY(std::isnan(step.lastLossValue()));
        QVERIFY(!step.lastGradientsNonFinite()); // the loss was caught first
        QCOMPARE(largestDifference(before, model->parameters()), 0.0);

        // A finite batch afterwards steps again.
        step.forward(torch::randn({ 8, 8 }), torch::randint(0, 3, { 8 }));
        QVERIFY(step.backwardAndStep(optimizer));
        QVERIFY(!step.lastLossNonFinite());
        QVERIFY(largestDifference(before, model->parameters()) > 0.0);
    }
};

NETDRAFT_TEST(TrainingStepLossReadTest);
#include "TrainingStepLossReadTest.moc"
