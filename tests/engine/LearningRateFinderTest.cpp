// The learning-rate finder: the sweep's rates, the suggestion against problems whose stable rates are
// known, the model it was given left as it was, stopping, and bad options by message.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/data/PreparedData.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/model/GraphModel.h"
#include "engine/train/Checkpoint.h"
#include "engine/train/LearningRateFinder.h"
#include "tests/engine/TrainingFixtures.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <cmath>

using namespace netdraft::engine;

namespace {

/// y = w·x + b with x ~ N(0, I) in 8 dimensions: the mean squared error's Hessian is 2·I, so plain SGD
/// converges for rates below 2 / 2 = 1 (fastest at 0.5) and blows up above.
PreparedData linearRegression(int64_t samples)
{
    at::Generator generator = at::detail::createCPUGenerator(3);
    const torch::Tensor weights = torch::randn({ 8, 1 }, generator);
    PreparedData data;
    data.train.inputs = torch::randn({ samples, 8 }, generator);
    data.train.targets = data.train.inputs.matmul(weights) + 0.5;
    data.train.description = "linear regression";
    return data;
}

Graph regressionGraph()
{
    GraphBuilder builder;
    builder.input({ 8 }).then("Linear", { { "out_features", int64_t(1) } }, "fc").output("regression");
    return builder.graph();
}

TrainingSettings plainSgd()
{
    TrainingSettings settings;
    settings.optimizer = "sgd";
    settings.momentum = 0.0;
    settings.loss = "mse";
    settings.batchSize = 64;
    settings.threads = 1;
    settings.seed = 5;
    return settings;
}

/// "lr loss smoothed" per point and the suggestion, for failure messages.
std::string curveText(const LearningRateFinding& finding)
{
    std::string text = "suggested " + std::to_string(finding.suggestedRate.value_or(-1)) + " at point "
        + std::to_string(finding.suggestedIndex) + "\n";
    for (const LearningRatePoint& point : finding.points)
        text += std::to_string(point.learningRate) + " " + std::to_string(point.loss) + " "
            + std::to_string(point.smoothedLoss) + "\n";
    return text;
}

std::string finderErrorOf(const LearningRateFinderOptions& options)
{
    try {
        options.check();
    } catch (const Error& error) {
        return error.what();
    }
    return {};
}

} // namespace

class LearningRateFinderTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ratesGrowExponentiallyFromMinToMax()
    {
        const CompiledNetwork network = CompiledNetwork::compile(regressionGraph());
        GraphModel model = buildModel(network, 5);
        LearningRateFinderOptions options;
        options.minimumRate = 1e-6;
        options.maximumRate = 1e-2; // too low to blow up: every batch runs
        options.batches = 50;
        const LearningRateFinding finding
            = findLearningRate(*model, network, linearRegression(64 * 60), plainSgd(), options);
        QCOMPARE(finding.batchesPlanned, int64_t(50));
        QCOMPARE(finding.points.size(), size_t(50));
        QVERIFY(!finding.diverged);
        QCOMPARE(finding.points.front().learningRate, 1e-6);
        QVERIFY(std::abs(finding.points.back().learningRate - 1e-2) < 1e-12);
        const double step = std::pow(1e4, 1.0 / 49);
        for (size_t i = 1; i < finding.points.size(); ++i) {
            QVERIFY(finding.points[i].learningRate > finding.points[i - 1].learningRate);
            QVERIFY(std::abs(finding.points[i].learningRate / finding.points[i - 1].learningRate - step) < 1e-9);
        }
        // The smoothed loss is the bias-corrected moving average of the losses.
        double average = 0;
        for (size_t i = 0; i < finding.points.size(); ++i) {
            average = 0.9 * average + 0.1 * finding.points[i].loss;
            QVERIFY(std::abs(finding.points[i].smoothedLoss - average / (1 - std::pow(0.9, i + 1))) < 1e-9);
        }
    }

    void linearRegressionWithSgdSuggestsAStableRate()
    {
        const CompiledNetwork network = CompiledNetwork::compile(regressionGraph());
        GraphModel model = buildModel(network, 5);
        const NamedTensors before = moduleState(*model);
        LearningRateFinderOptions options; // 1e-7 → 10 over 100 batches
        const LearningRateFinding finding
            = findLearningRate(*model, network, linearRegression(64 * 120), plainSgd(), options);
        QVERIFY(finding.diverged);
        // SGD on this problem diverges above 1: the sweep stops past it, not before.
        const double last = finding.points.back().learningRate;
        QVERIFY2(last > 1.0 && last < 10.0, std::to_string(last).c_str());
        QVERIFY(finding.suggestedRate.has_value());
        QVERIFY2(*finding.suggestedRate >= 1e-3 && *finding.suggestedRate < 1.0, curveText(finding).c_str());
        // The moving average lags: its lowest point comes later than the suggestion.
        QVERIFY(finding.minimumLossRate > *finding.suggestedRate);
        if (qEnvironmentVariableIsSet("NETDRAFT_PRINT_CURVE"))
            qInfo("%s", curveText(finding).c_str());
        // The model handed in keeps its weights.
        const NamedTensors after = moduleState(*model);
        QCOMPARE(after.size(), before.size());
        for (size_t i = 0; i < before.size(); ++i)
            QVERIFY(torch::equal(before[i].second, after[i].second));
    }

    void blobsWithAdamSuggestsASaneRate()
    {
        const CompiledNetwork network = CompiledNetwork::compile(netdraft::tests::smallClassifier());
        GraphModel model = buildModel(network, 5);
        TrainingSettings settings = netdraft::tests::quickSettings();
        settings.optimizer = "adam";
        LearningRateFinderOptions options;
        options.batches = 120;
        const LearningRateFinding finding
            = findLearningRate(*model, network, netdraft::tests::blobs(16 * 120), settings, options);
        QVERIFY(finding.suggestedRate.has_value());
        QVERIFY2(*finding.suggestedRate >= 1e-3 && *finding.suggestedRate <= 1.0, curveText(finding).c_str());
        QCOMPARE(finding.optimizer, std::string("adam"));
    }

    void batchesAreCappedByTheData()
    {
        const CompiledNetwork network = CompiledNetwork::compile(regressionGraph());
        GraphModel model = buildModel(network, 5);
        LearningRateFinderOptions options;
        options.batches = 300;
        const LearningRateFinding finding
            = findLearningRate(*model, network, linearRegression(64 * 10), plainSgd(), options);
        QCOMPARE(finding.batchesPlanned, int64_t(10));
    }

    void stopsWhenAsked()
    {
        const CompiledNetwork network = CompiledNetwork::compile(regressionGraph());
        GraphModel model = buildModel(network, 5);
        int seen = 0;
        LearningRateFinderCallbacks callbacks;
        callbacks.onPoint = [&](const LearningRatePoint&, int64_t done, int64_t planned) {
            seen = static_cast<int>(done);
            QCOMPARE(planned, int64_t(40));
        };
        callbacks.stopRequested = [&] { return seen >= 5; };
        LearningRateFinderOptions options;
        options.batches = 40;
        const LearningRateFinding finding
            = findLearningRate(*model, network, linearRegression(64 * 40), plainSgd(), options, callbacks);
        QVERIFY(finding.stopped);
        QCOMPARE(finding.points.size(), size_t(5));
    }

    void suggestionIsTheSteepestDescentBeforeTheMinimum()
    {
        // A curve flat at 2, falling fastest at 1e-3 (tanh's inflection), lowest near 1e-1, then rising.
        std::vector<LearningRatePoint> points;
        for (int i = 0; i <= 60; ++i) {
            const double exponent = -6 + i * 0.1; // 1e-6 … 1
            const double loss = 1 - std::tanh(2 * (exponent + 3)) + (exponent > -1 ? 3 * (exponent + 1) : 0);
            points.push_back({ std::pow(10, exponent), loss, loss });
        }
        size_t index = 0;
        const std::optional<double> suggested = suggestLearningRate(points, &index);
        QVERIFY(suggested.has_value());
        QCOMPARE(index, size_t(30));
        QVERIFY(std::abs(*suggested - 1e-3) < 1e-12);
        // Too short a descent: the minimum's rate / 10.
        const std::vector<LearningRatePoint> shortCurve { { 1e-3, 3, 3 }, { 1e-2, 1, 1 }, { 1e-1, 5, 5 } };
        QCOMPARE(*suggestLearningRate(shortCurve, &index), 1e-3);
        QCOMPARE(index, size_t(1));
        QVERIFY(!suggestLearningRate({}).has_value());
        // Flat until it explodes (the classic CNN's 60-batch SGD sweep): its lowest point is noise, and
        // a tenth of that rate would lie below the sweep; no suggestion.
        std::vector<LearningRatePoint> flat;
        for (int i = 0; i <= 40; ++i) {
            const double loss = 2.302 + 0.004 * std::sin(i * 1.7) + (i == 40 ? 5.0 : 0.0);
            flat.push_back({ std::pow(10, -7 + i * 0.2), loss, loss });
        }
        QVERIFY(!suggestLearningRate(flat, &index, 10).has_value());
    }

    void badOptionsAreRefusedByMessage()
    {
        LearningRateFinderOptions options;
        options.minimumRate = 0;
        QCOMPARE(finderErrorOf(options), std::string("learning-rate finder: the lowest rate must be > 0, got 0"));
        options = {};
        options.maximumRate = 1e-8;
        QCOMPARE(finderErrorOf(options),
            std::string("learning-rate finder: the highest rate must be greater than the lowest (1e-07), got 1e-08"));
        options = {};
        options.batches = 1;
        QCOMPARE(
            finderErrorOf(options), std::string("learning-rate finder: the sweep needs at least 2 batches, got 1"));
        QVERIFY(finderErrorOf({}).empty());
    }
};

NETDRAFT_TEST(LearningRateFinderTest);
#include "LearningRateFinderTest.moc"
