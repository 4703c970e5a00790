#pragma once
// What the trainer reports while it runs: plain values only, so that the app's worker can copy them
// into queued signals and the CLI can print them.

#include "engine/train/BlockStatistics.h"
#include "engine/train/Metrics.h"
#include "engine/train/NonFiniteFinding.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace netdraft::engine {

/// Progress after a batch. Epochs and batches are counted from 1 here (as shown to people).
struct BatchReport {
    int64_t epoch = 0;
    int64_t epochs = 0;
    int64_t batch = 0;
    int64_t batchesPerEpoch = 0;
    int64_t step = 0; ///< optimizer steps since the run began
    double loss = 0.0; ///< mean training loss of the epoch so far
    std::optional<double> accuracy; ///< running training accuracy of the epoch (classification)
    double samplesPerSecond = 0.0; ///< this epoch, pauses excluded
    double learningRate = 0.0;
};

/// Figures of a finished epoch (counted from 1).
struct EpochReport {
    int64_t epoch = 0;
    int64_t epochs = 0;
    Metrics train;
    std::optional<Metrics> validation; ///< absent when the dataset has no validation part
    double learningRate = 0.0;
    double seconds = 0.0; ///< training and validation time, pauses excluded
    bool improved = false; ///< the monitored value is the best so far
    /// Per-block statistics averaged over the epoch's recorded batches (TrainingSettings::statisticsEvery);
    /// empty when off.
    std::vector<BlockStatistics> statistics;
    std::vector<std::string> warnings; ///< what the statistics warn of (dead ReLUs)
};

enum class StopReason {
    Completed, ///< all epochs ran
    EarlyStopping, ///< the monitored value stopped improving
    Requested, ///< requestStop()
    NonFiniteLoss, ///< the loss became NaN or infinite
    Failed, ///< an error (bad settings, data, checkpoint, device)
};

/// "completed", "early_stopping", "stopped", "nan", "failed".
const char* toString(StopReason reason);

/// The end of a run.
struct TrainingResult {
    StopReason reason = StopReason::Completed;
    std::string message; ///< human-readable; the error for Failed and NonFiniteLoss
    int64_t epochsCompleted = 0;
    int64_t bestEpoch = 0; ///< counted from 1; 0 when no epoch finished
    std::optional<Metrics> lastTrain;
    std::optional<Metrics> lastValidation;
    std::optional<Metrics> test; ///< evaluated with the final weights when the run completed
    std::string checkpointPath; ///< the last checkpoint written, if any
    std::string weightsPath; ///< the final weights written, if any
    /// For NonFiniteLoss: the block that first gave NaN or inf when the failing batch ran again with checks.
    std::optional<NonFiniteFinding> nonFinite;
};

/// Callbacks, all called on the thread that runs the trainer; any may be left empty.
struct TrainingObserver {
    std::function<void(const BatchReport&)> onBatch;
    std::function<void(const EpochReport&)> onEpoch;
    std::function<void(const std::string& path)> onCheckpoint;
    std::function<void(const TrainingResult&)> onFinished;
    /// A recorded batch's per-block statistics (TrainingSettings::statisticsEvery).
    std::function<void(const StatisticsRecord&)> onStatistics;
};

} // namespace netdraft::engine
