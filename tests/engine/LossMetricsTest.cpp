// Losses equal their formulas written with plain tensor arithmetic; metrics equal hand counts.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/train/LossFunction.h"
#include "engine/train/Metrics.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <cmath>

using namespace netdraft::engine;

namespace {

torch::Tensor logits()
{
    return torch::tensor(
        { { 2.0, -1.0, 0.5 }, { 0.1, 0.2, 0.3 }, { -3.0, 4.0, 1.0 }, { 0.0, 0.0, 5.0 } }, torch::kDouble);
}

torch::Tensor labels()
{
    return torch::tensor({ 0, 2, 1, 0 }, torch::kLong);
}

/// −log softmax, row by row, from exp and log only.
torch::Tensor negativeLogSoftmax(const torch::Tensor& x)
{
    return -(x - x.exp().sum(1, true).log());
}

bool close(const torch::Tensor& a, const torch::Tensor& b)
{
    return std::abs(a.item<double>() - b.item<double>()) < 1e-12;
}

} // namespace

class LossMetricsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void crossEntropyWithSmoothingAndWeights()
    {
        const torch::Tensor x = logits(), y = labels();
        const torch::Tensor weights = torch::tensor({ 1.0, 2.0, 0.5 }, torch::kDouble);
        const torch::Tensor nll = negativeLogSoftmax(x);
        const double smoothing = 0.2;
        // PyTorch: (1 − ε)·Σ w_y·nll_y / Σ w_y + ε/C · Σ_i Σ_c w_c·nll_ic / Σ w_y
        const torch::Tensor wy = weights.index_select(0, y);
        const torch::Tensor picked = nll.gather(1, y.unsqueeze(1)).squeeze(1);
        const torch::Tensor expected
            = (1 - smoothing) * (wy * picked).sum() / wy.sum() + smoothing / 3.0 * (nll * weights).sum() / wy.sum();
        QVERIFY(close(LossFunction("cross_entropy", smoothing, weights)(x, y), expected));
        QVERIFY(close(LossFunction("cross_entropy")(x, y), picked.mean()));
    }

    void nllTakesLogProbabilities()
    {
        const torch::Tensor logProbabilities = -negativeLogSoftmax(logits());
        const torch::Tensor expected = -logProbabilities.gather(1, labels().unsqueeze(1)).mean();
        QVERIFY(close(LossFunction("nll")(logProbabilities, labels()), expected));
    }

    void bceWithLogitsOneHotAndBinary()
    {
        const torch::Tensor x = logits(), y = labels();
        const torch::Tensor oneHot = torch::zeros({ 4, 3 }, torch::kDouble).scatter_(1, y.unsqueeze(1), 1.0);
        auto bce = [](const torch::Tensor& z, const torch::Tensor& t) {
            return (z.clamp_min(0) - z * t + (1 + (-z.abs()).exp()).log()).mean();
        };
        QVERIFY(close(LossFunction("bce_with_logits")(x, y), bce(x, oneHot)));
        const torch::Tensor single = torch::tensor({ { 0.3 }, { -1.2 }, { 2.0 } }, torch::kDouble);
        const torch::Tensor binary = torch::tensor({ 1, 0, 0 }, torch::kLong);
        QVERIFY(close(
            LossFunction("bce_with_logits")(single, binary), bce(single, binary.to(torch::kDouble).unsqueeze(1))));
    }

    void regressionLosses()
    {
        const torch::Tensor output = torch::tensor({ { 0.5 }, { -1.0 }, { 3.0 }, { 0.2 } }, torch::kDouble);
        const torch::Tensor target = torch::tensor({ 1.0, 1.0, 0.5, 0.1 }, torch::kDouble); // N, reshaped to N×1
        const torch::Tensor d = output.squeeze(1) - target;
        QVERIFY(close(LossFunction("mse")(output, target), (d * d).mean()));
        QVERIFY(close(LossFunction("l1")(output, target), d.abs().mean()));
        const torch::Tensor smooth = torch::where(d.abs() < 1, 0.5 * d * d, d.abs() - 0.5);
        QVERIFY(close(LossFunction("smooth_l1")(output, target), smooth.mean()));
    }

    void lossRefusesBadInput()
    {
        try {
            LossFunction("hinge");
            QFAIL("an unknown loss was accepted");
        } catch (const Error& error) {
            QVERIFY(std::string(error.what()).find("got 'hinge'") != std::string::npos);
        }
        try {
            LossFunction("mse")(torch::zeros({ 4, 2 }), torch::zeros({ 4, 3 }));
            QFAIL("mismatched regression targets were accepted");
        } catch (const Error& error) {
            QVERIFY(std::string(error.what()).find("targets have shape [4, 3]") != std::string::npos);
        }
    }

    void confusionMatrixAndPerClassAccuracy()
    {
        const torch::Tensor target = torch::tensor({ 0, 0, 1, 2, 2, 2 }, torch::kLong);
        const torch::Tensor predicted = torch::tensor({ 0, 1, 1, 2, 0, 2 }, torch::kLong);
        const torch::Tensor matrix = confusionMatrix(predicted, target, 4);
        const torch::Tensor expected
            = torch::tensor({ 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0 }, torch::kLong).reshape({ 4, 4 });
        QVERIFY(torch::equal(matrix, expected));
        const std::vector<double> perClass = perClassAccuracy(matrix);
        QCOMPARE(perClass.size(), size_t(4));
        QCOMPARE(perClass[0], 0.5);
        QCOMPARE(perClass[1], 1.0);
        QCOMPARE(perClass[2], 2.0 / 3.0);
        QVERIFY(std::isnan(perClass[3])); // no samples of class 3
        try {
            confusionMatrix(torch::tensor({ 0, 5 }), torch::tensor({ 0, 1 }), 3);
            QFAIL("a prediction outside the classes was counted");
        } catch (const Error& error) {
            QVERIFY(std::string(error.what()).find("outside 0..2") != std::string::npos);
        }
    }

    void accumulatorWeighsBatchesBySize()
    {
        MetricAccumulator accumulator({ /*topFive=*/true, /*confusion=*/true });
        // Batch 1: 2 samples, both right; batch 2: 4 samples, one right at top-1, three in the top 5.
        torch::Tensor first = torch::zeros({ 2, 6 });
        first[0][1] = 5;
        first[1][4] = 5;
        accumulator.add(first, torch::tensor({ 1, 4 }), torch::tensor(1.0));
        torch::Tensor second = torch::arange(6, torch::kFloat).repeat({ 4, 1 }); // ranks: 5 4 3 2 1 0
        accumulator.add(second, torch::tensor({ 5, 0, 1, 3 }), torch::tensor(4.0));
        const Metrics metrics = accumulator.result();
        QCOMPARE(metrics.samples, int64_t(6));
        QCOMPARE(metrics.loss, (1.0 * 2 + 4.0 * 4) / 6);
        QCOMPARE(*metrics.accuracy, 3.0 / 6);
        QCOMPARE(*metrics.topFiveAccuracy, 5.0 / 6); // label 0 is the 6th-ranked class
        QCOMPARE(metrics.confusionMatrix.size(), size_t(6));
        QCOMPARE(metrics.confusionMatrix[0][5], int64_t(1));
        QCOMPARE(metrics.confusionMatrix[4][4], int64_t(1));
        QVERIFY(!metrics.meanAbsoluteError);
    }

    void regressionErrors()
    {
        MetricAccumulator accumulator;
        accumulator.add(torch::tensor({ { 1.0 }, { 2.0 } }), torch::tensor({ 0.0, 2.0 }), torch::tensor(0.5));
        accumulator.add(torch::tensor({ { -1.0 } }), torch::tensor({ 1.0 }), torch::tensor(4.0));
        const Metrics metrics = accumulator.result();
        QCOMPARE(*metrics.meanAbsoluteError, (1.0 + 0.0 + 2.0) / 3);
        QCOMPARE(*metrics.rootMeanSquaredError, std::sqrt((1.0 + 0.0 + 4.0) / 3));
        QVERIFY(!metrics.accuracy);
    }
};

NETDRAFT_TEST(LossMetricsTest);
#include "LossMetricsTest.moc"
