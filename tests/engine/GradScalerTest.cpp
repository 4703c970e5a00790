// The fp16 loss scaler on CPU tensors: scaling, unscaling with the inf/NaN check, skipped steps, and the
// scale's growth and backoff, each against the formulas of torch.cuda.amp.GradScaler.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/train/GradScaler.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace netdraft::engine;

namespace {

/// A parameter [1, 2] whose gradient is `gradient`.
torch::Tensor parameterWithGradient(const std::vector<float>& gradient)
{
    torch::Tensor parameter = torch::tensor({ 1.0f, 2.0f }).requires_grad_(true);
    parameter.mutable_grad() = torch::tensor(gradient);
    return parameter;
}

} // namespace

class GradScalerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void scaleMultipliesTheLoss()
    {
        GradScaler scaler;
        QCOMPARE(scaler.currentScale(), 65536.0);
        const torch::Tensor scaled = scaler.scale(torch::tensor(0.75f));
        QCOMPARE(scaled.item<float>(), 0.75f * 65536.0f);
        GradScaler off(GradScalerOptions().enable(false));
        QCOMPARE(off.scale(torch::tensor(0.75f)).item<float>(), 0.75f);
    }

    void backwardOfTheScaledLossGivesScaledGradients()
    {
        GradScaler scaler(GradScalerOptions().initial(1024));
        torch::Tensor weight = torch::tensor({ 3.0f, -1.0f }).requires_grad_(true);
        const torch::Tensor loss = (weight * weight).sum(); // d/dw = 2w
        scaler.scale(loss).backward();
        QCOMPARE(weight.grad()[0].item<float>(), 6.0f * 1024);
        QVERIFY(!scaler.unscale({ weight }));
        QCOMPARE(weight.grad()[0].item<float>(), 6.0f);
        QCOMPARE(weight.grad()[1].item<float>(), -2.0f);
    }

    void unscaleDividesOnceAndFindsNonFiniteValues_data()
    {
        QTest::addColumn<float>("bad");
        QTest::addColumn<bool>("nonFinite");
        QTest::newRow("finite") << 8.0f << false;
        QTest::newRow("infinity") << std::numeric_limits<float>::infinity() << true;
        QTest::newRow("minus infinity") << -std::numeric_limits<float>::infinity() << true;
        QTest::newRow("NaN") << std::numeric_limits<float>::quiet_NaN() << true;
    }
    void unscaleDividesOnceAndFindsNonFiniteValues()
    {
        QFETCH(float, bad);
        QFETCH(bool, nonFinite);
        GradScaler scaler(GradScalerOptions().initial(8));
        torch::Tensor clean = parameterWithGradient({ 16.0f, 24.0f });
        torch::Tensor other = parameterWithGradient({ 4.0f, bad });
        QCOMPARE(scaler.unscale({ clean, other }), nonFinite);
        QCOMPARE(scaler.foundNonFinite(), nonFinite);
        QCOMPARE(clean.grad()[0].item<float>(), 2.0f);
        QCOMPARE(clean.grad()[1].item<float>(), 3.0f);
        QCOMPARE(other.grad()[0].item<float>(), 0.5f);
        QCOMPARE(scaler.unscale({ clean, other }), nonFinite); // a second call does not divide again
        QCOMPARE(clean.grad()[0].item<float>(), 2.0f);
    }

    void stepIsSkippedOnOverflowAndTheScaleBacksOff()
    {
        GradScaler scaler(GradScalerOptions().initial(4).backoff(0.25));
        torch::Tensor parameter = parameterWithGradient({ 4.0f, std::numeric_limits<float>::infinity() });
        torch::optim::SGD optimizer({ parameter }, torch::optim::SGDOptions(1.0));
        QVERIFY(!scaler.step(optimizer, { parameter }));
        QCOMPARE(parameter[0].item<float>(), 1.0f); // unchanged
        QCOMPARE(parameter[1].item<float>(), 2.0f);
        QCOMPARE(scaler.skippedSteps(), int64_t(1));
        scaler.update();
        QCOMPARE(scaler.currentScale(), 1.0); // 4 × 0.25
        QCOMPARE(scaler.growthTracker(), int64_t(0));
        QVERIFY(!scaler.foundNonFinite());

        parameter.mutable_grad() = torch::tensor({ 0.5f, 1.0f }); // scale 1: gradient as is
        QVERIFY(scaler.step(optimizer, { parameter }));
        QCOMPARE(parameter[0].item<float>(), 0.5f); // 1 - 1 × 0.5
        QCOMPARE(parameter[1].item<float>(), 1.0f);
    }

    void cleanStepsTakeTheUnscaledGradient()
    {
        GradScaler scaler(GradScalerOptions().initial(512));
        torch::Tensor parameter = parameterWithGradient({ 512.0f * 0.25f, -512.0f * 0.5f });
        torch::optim::SGD optimizer({ parameter }, torch::optim::SGDOptions(0.1));
        QVERIFY(scaler.step(optimizer, { parameter }));
        QCOMPARE(parameter[0].item<float>(), 1.0f - 0.1f * 0.25f);
        QCOMPARE(parameter[1].item<float>(), 2.0f + 0.1f * 0.5f);
    }

    /// A sequence of steps, each clean (.) or overflowing (x), against the formula: after an overflow
    /// scale × backoff and the count restarts; after `interval` clean steps in a row scale × growth.
    void scaleFollowsGrowthAndBackoff_data()
    {
        QTest::addColumn<QString>("steps");
        QTest::newRow("grows every 3 clean steps") << "......";
        QTest::newRow("overflow restarts the count") << "..x...x.";
        QTest::newRow("repeated overflow") << "xxx...";
        QTest::newRow("mixed") << ".x..x....x.";
    }
    void scaleFollowsGrowthAndBackoff()
    {
        QFETCH(QString, steps);
        const double initial = 1024, growth = 3, backoff = 0.125;
        const int64_t interval = 3;
        GradScaler scaler(GradScalerOptions().initial(initial).growth(growth).backoff(backoff).interval(interval));
        torch::optim::SGD optimizer({ torch::zeros({ 2 }, torch::requires_grad()) }, torch::optim::SGDOptions(0.1));
        double expected = initial;
        int64_t cleanInARow = 0, skipped = 0;
        for (const QChar step : steps) {
            const bool overflow = step == 'x';
            torch::Tensor parameter
                = parameterWithGradient({ 1.0f, overflow ? std::numeric_limits<float>::infinity() : 1.0f });
            QCOMPARE(scaler.step(optimizer, { parameter }), !overflow);
            scaler.update();
            if (overflow) {
                expected *= backoff;
                cleanInARow = 0;
                ++skipped;
            } else if (++cleanInARow == interval) {
                expected *= growth;
                cleanInARow = 0;
            }
            QCOMPARE(scaler.currentScale(), expected);
            QCOMPARE(scaler.growthTracker(), cleanInARow);
        }
        QCOMPARE(scaler.skippedSteps(), skipped);
    }

    void disabledScalerAlwaysSteps()
    {
        GradScaler scaler(GradScalerOptions().enable(false));
        torch::Tensor parameter = parameterWithGradient({ 1.0f, 1.0f });
        torch::optim::SGD optimizer({ parameter }, torch::optim::SGDOptions(1.0));
        QVERIFY(scaler.step(optimizer, { parameter }));
        scaler.update();
        QCOMPARE(scaler.currentScale(), 65536.0);
        QCOMPARE(parameter[0].item<float>(), 0.0f);
    }

    void badOptionsAreRefused()
    {
        QVERIFY_EXCEPTION_THROWN((void)GradScaler(GradScalerOptions().backoff(1.5)), Error);
        QVERIFY_EXCEPTION_THROWN((void)GradScaler(GradScalerOptions().growth(1.0)), Error);
        QVERIFY_EXCEPTION_THROWN((void)GradScaler(GradScalerOptions().initial(0)), Error);
    }
};

NETDRAFT_TEST(GradScalerTest);
#include "GradScalerTest.moc"
