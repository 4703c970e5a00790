#include "engine/train/LearningRateFinder.h"

#include "engine/core/Error.h"
#include "engine/data/PreparedData.h"
#include "engine/model/GraphModel.h"
#include "engine/train/Checkpoint.h"
#include "engine/train/DeviceSelection.h"
#include "engine/train/FineTuning.h"
#include "engine/train/LearningRateScales.h"
#include "engine/train/LossFunction.h"
#include "engine/train/MixedPrecision.h"
#include "engine/train/OptimizerFactory.h"
#include "engine/train/TrainingStep.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace netdraft::engine {

const char* const kLearningRateSuggestionRule
    = "steepest descent of the smoothed loss before its minimum; its rate / 10 when the descent is too short";

void LearningRateFinderOptions::check() const
{
    ND_CHECK(std::isfinite(minimumRate) && minimumRate > 0, "learning-rate finder: the lowest rate must be > 0, got ",
        minimumRate);
    ND_CHECK(std::isfinite(maximumRate) && maximumRate > minimumRate,
        "learning-rate finder: the highest rate must be greater than the lowest (", minimumRate, "), got ",
        maximumRate);
    ND_CHECK(batches >= 2, "learning-rate finder: the sweep needs at least 2 batches, got ", batches);
    ND_CHECK(smoothing >= 0 && smoothing < 1, "learning-rate finder: smoothing must be in [0, 1), got ", smoothing);
    ND_CHECK(divergenceFactor > 1, "learning-rate finder: the divergence factor must be > 1, got ", divergenceFactor);
}

std::optional<double> suggestLearningRate(
    const std::vector<LearningRatePoint>& points, size_t* index, size_t settledFrom)
{
    if (points.empty())
        return std::nullopt;
    size_t lowest = 0;
    for (size_t i = 1; i < points.size(); ++i)
        if (points[i].smoothedLoss < points[lowest].smoothedLoss)
            lowest = i;
    const double start = points[std::min(settledFrom, points.size() - 1)].smoothedLoss;
    if (!(start - points[lowest].smoothedLoss >= kLearningRateMinimumDrop * std::abs(start)))
        return std::nullopt; // flat (or only rising) before the blow-up: no descent to read
    // Slopes across a window of a twentieth of the sweep on either side: one batch's noise survives the
    // moving average well enough to make a two-point slope the steepest by chance.
    const size_t half = std::max<size_t>(1, points.size() / 20);
    std::optional<size_t> chosen;
    double steepest = 0.0;
    for (size_t i = std::max(settledFrom, half); i + half <= lowest; ++i) {
        const double run = std::log10(points[i + half].learningRate) - std::log10(points[i - half].learningRate);
        const double slope = (points[i + half].smoothedLoss - points[i - half].smoothedLoss) / run;
        if (slope < steepest) {
            steepest = slope;
            chosen = i;
        }
    }
    if (!chosen) {
        if (index)
            *index = lowest;
        return points[lowest].learningRate / 10;
    }
    if (index)
        *index = *chosen;
    return points[*chosen].learningRate;
}

LearningRateFinding findLearningRate(const GraphModelImpl& model, const CompiledNetwork& network,
    const PreparedData& data, const TrainingSettings& settings, const LearningRateFinderOptions& options,
    const LearningRateFinderCallbacks& callbacks)
{
    options.check();
    ND_CHECK(data.train.size() > 0, "learning-rate finder: the training part is empty");
    configureThreads(settings.threads);
    const torch::Device device = selectDevices(settings.device).front();
    const Precision precision = parsePrecision(settings.precision);
    checkPrecision(precision, { device });

    // The copy: same graph and seed, then the given model's weights and buffers.
    GraphModel copy = buildModel(network, static_cast<uint64_t>(settings.seed));
    loadModuleState(*copy, moduleState(model), "learning-rate finder");
    freezeBlocks(*copy, network);
    copy->to(device);
    copy->train();
    keepFrozenBlocksInEval(*copy, evalModeBlockIds(network, settings));

    std::vector<torch::Tensor> trainable;
    for (const torch::Tensor& parameter : copy->parameters())
        if (parameter.requires_grad())
            trainable.push_back(parameter);
    ND_CHECK(!trainable.empty(), "learning-rate finder: the network has no trainable weights");
    StepOptions stepOptions;
    stepOptions.precision = precision;
    stepOptions.channelsLast = settings.channelsLast;
    stepOptions.gradientClipNorm = settings.gradientClipNorm;
    TrainingStep step(copy, {}, { device }, LossFunction::fromSettings(settings), stepOptions);
    const std::vector<ScaledParameters> groups = groupByLearningRateScale(*copy, learningRateScales(network));
    const std::vector<double> scales = scalesOf(groups); // the sweep moves the run's rate; each group keeps its factor
    std::unique_ptr<torch::optim::Optimizer> optimizer = makeOptimizer(settings, groups);

    LoaderOptions loading;
    loading.batchSize = settings.batchSize;
    loading.shuffle = true;
    loading.seed = static_cast<uint64_t>(settings.seed);
    loading.normalization = data.normalization;
    loading.device = device;
    loading.prefetch = false;
    DataLoader loader(data.train, loading);
    loader.startEpoch(0);

    LearningRateFinding finding;
    finding.optimizer = settings.optimizer;
    finding.batchesPlanned = std::min(options.batches, loader.batchesPerEpoch());
    ND_CHECK(finding.batchesPlanned >= 2, "learning-rate finder: the training part holds ", data.train.size(),
        " samples, only ", loader.batchesPerEpoch(), " batch of ", settings.batchSize,
        "; the sweep needs at least 2 (lower the batch size)");
    const double ratio = options.maximumRate / options.minimumRate;
    torch::manual_seed(static_cast<uint64_t>(settings.seed));
    double average = 0.0;
    double best = std::numeric_limits<double>::infinity();
    for (int64_t i = 0; i < finding.batchesPlanned; ++i) {
        if (callbacks.stopRequested && callbacks.stopRequested()) {
            finding.stopped = true;
            break;
        }
        const std::optional<Batch> batch = loader.next();
        if (!batch)
            break;
        LearningRatePoint point;
        point.learningRate = options.minimumRate
            * std::pow(ratio, static_cast<double>(i) / static_cast<double>(finding.batchesPlanned - 1));
        setLearningRate(*optimizer, point.learningRate, scales);
        const StepForward forward = step.forward(batch->inputs, batch->targets);
        point.loss = forward.lossValue;
        if (!std::isfinite(point.loss)) {
            step.discard();
            finding.diverged = true;
            break;
        }
        average = options.smoothing * average + (1 - options.smoothing) * point.loss;
        point.smoothedLoss = average / (1 - std::pow(options.smoothing, static_cast<double>(i + 1)));
        finding.points.push_back(point);
        if (callbacks.onPoint)
            callbacks.onPoint(point, i + 1, finding.batchesPlanned);
        best = std::min(best, point.smoothedLoss);
        if (i > 0 && point.smoothedLoss > options.divergenceFactor * best) {
            step.discard();
            finding.diverged = true;
            break;
        }
        step.backwardAndStep(*optimizer);
    }
    // The first 1 / (1 - smoothing) averages hold only a few losses each.
    const auto settled = static_cast<size_t>(std::ceil(1 / (1 - options.smoothing)));
    finding.suggestedRate = suggestLearningRate(finding.points, &finding.suggestedIndex, settled);
    if (!finding.points.empty()) {
        const auto lowest = std::min_element(finding.points.begin(), finding.points.end(),
            [](const auto& a, const auto& b) { return a.smoothedLoss < b.smoothedLoss; });
        finding.minimumLossRate = lowest->learningRate;
    }
    if (finding.points.empty()) {
        finding.noSuggestion = "the sweep is empty";
    } else if (!finding.suggestedRate) {
        const double start = finding.points[std::min(settled, finding.points.size() - 1)].smoothedLoss;
        const auto lowest = std::min_element(finding.points.begin(), finding.points.end(),
            [](const auto& a, const auto& b) { return a.smoothedLoss < b.smoothedLoss; });
        char text[256];
        std::snprintf(text, sizeof text,
            "the smoothed loss never fell %.0f %% below where it started (%.4g, lowest %.4g) before %s; sweep "
            "more batches or a narrower range of rates",
            kLearningRateMinimumDrop * 100, start, lowest->smoothedLoss,
            finding.diverged ? "it exploded" : "the sweep ended");
        finding.noSuggestion = text;
    }
    return finding;
}

LearningRateFinding findLearningRate(const Project& project, const std::string& projectDirectory,
    const LearningRateFinderOptions& options, const LearningRateFinderCallbacks& callbacks)
{
    options.check(); // before the data is loaded
    const CompiledNetwork network = CompiledNetwork::compile(project);
    const PreparedData data = prepareData(project.dataset, projectDirectory, expectedData(network));
    GraphModel model = buildModel(network, static_cast<uint64_t>(project.training.seed));
    const std::string weights = resolveProjectFile(projectDirectory, project.initialWeights);
    if (!weights.empty())
        importMatchingWeightsFile(*model, weights);
    return findLearningRate(*model, network, data, project.training, options, callbacks);
}

} // namespace netdraft::engine
