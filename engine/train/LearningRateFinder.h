#pragma once
// The learning-rate finder: a short run whose learning rate grows exponentially from a low to a high
// value, one step per batch, on a copy of the model; the loss against the rate shows where training
// starts to make progress and where it blows up (Smith, "Cyclical Learning Rates", 2017; fastai's
// lr_find). LibTorch-free interface, for the Qt app and the CLI.

#include "engine/project/Project.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace netdraft::engine {

class CompiledNetwork;
class GraphModelImpl;
struct PreparedData;

/// How the sweep runs.
struct LearningRateFinderOptions {
    double minimumRate = 1e-7; ///< the first batch's rate
    double maximumRate = 10.0; ///< the last batch's rate, if the loss has not exploded before
    /// Steps of the sweep, capped at one pass over the training data: a sweep that saw batches
    /// again would measure how well it memorised them.
    int64_t batches = 100;
    double smoothing = 0.9; ///< weight of the past in the loss's exponential moving average (bias corrected)
    double divergenceFactor = 4.0; ///< stop once the smoothed loss exceeds this many times its best

    /// Throws Error naming the option for a value out of range.
    void check() const;
};

/// One step of the sweep.
struct LearningRatePoint {
    double learningRate = 0.0;
    double loss = 0.0; ///< the batch's loss before the step
    double smoothedLoss = 0.0;
};

/// What the sweep found.
struct LearningRateFinding {
    std::vector<LearningRatePoint> points; ///< rates strictly increasing
    int64_t batchesPlanned = 0; ///< after the cap
    bool diverged = false; ///< stopped because the loss exploded (or stopped being finite)
    bool stopped = false; ///< stopped on request
    std::string optimizer; ///< the project's, which the sweep used
    /// The suggested rate (suggestLearningRate()); unset when the curve gives none (noSuggestion says why).
    std::optional<double> suggestedRate;
    std::string noSuggestion; ///< why there is no suggestion, for people; empty when there is one
    size_t suggestedIndex = 0; ///< the point the suggestion was read from
    double minimumLossRate = 0.0; ///< the rate at the lowest smoothed loss
};

/// Progress and cancellation; both optional, called on the thread running the sweep.
struct LearningRateFinderCallbacks {
    std::function<void(const LearningRatePoint& point, int64_t done, int64_t planned)> onPoint;
    std::function<bool()> stopRequested;
};

/// How the suggestion is read from the curve, for reports: the steepest descent of the smoothed loss.
extern const char* const kLearningRateSuggestionRule;
/// The fall of the smoothed loss, relative to where it settled, below which the curve gives no suggestion.
constexpr double kLearningRateMinimumDrop = 0.02;

/// The rate where the smoothed loss falls fastest per decade of learning rate, among the points from
/// `settledFrom` (where the moving average holds enough losses) up to the lowest smoothed loss; slopes
/// are taken across a window of a twentieth of the sweep on either side, over log10 of the rate. There
/// training makes the most progress per step while it is still stable, well below the blow-up. When
/// no point qualifies (too short a descent), the lowest loss's rate / 10. Unset for an empty curve, and
/// when the smoothed loss never falls kLearningRateMinimumDrop below where it settled: a flat curve's
/// lowest point is noise, and a tenth of its rate would lie below the sweep.
std::optional<double> suggestLearningRate(
    const std::vector<LearningRatePoint>& points, size_t* index = nullptr, size_t settledFrom = 0);

/// Sweeps a copy of `model` (built from `network`; `model` itself is left as it is) on `data` with the
/// optimizer, loss, device and precision of `settings`. Throws Error for bad options or settings.
LearningRateFinding findLearningRate(const GraphModelImpl& model, const CompiledNetwork& network,
    const PreparedData& data, const TrainingSettings& settings, const LearningRateFinderOptions& options,
    const LearningRateFinderCallbacks& callbacks = {});

/// The same for a project: its data prepared as training prepares it, its model as training builds it
/// (seed, starting weights). Nothing of the project changes. Throws Error for design, data or option errors.
LearningRateFinding findLearningRate(const Project& project, const std::string& projectDirectory,
    const LearningRateFinderOptions& options, const LearningRateFinderCallbacks& callbacks = {});

} // namespace netdraft::engine
