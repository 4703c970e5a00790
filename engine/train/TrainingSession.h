#pragma once
// A whole training run of a project behind a LibTorch-free interface, for the Qt app and the CLI:
// loads the data, builds the model, trains, and reports plain values through callbacks.

#include "engine/project/Project.h"
#include "engine/train/BlockStatistics.h"
#include "engine/train/NonFiniteFinding.h"
#include "engine/train/TextSamplingOptions.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace netdraft::engine {

class DistributedContext;
class GraphModelImpl;
class RunControl;
struct InMemoryDataset;

/// Progress after a batch; epochs and batches count from 1.
struct SessionBatch {
    int64_t epoch = 0;
    int64_t epochs = 0;
    int64_t batch = 0;
    int64_t batchesPerEpoch = 0;
    int64_t step = 0;
    double loss = 0.0; ///< running mean of the epoch
    std::optional<double> accuracy; ///< running training accuracy (classification)
    double samplesPerSecond = 0.0;
    double learningRate = 0.0;
};

/// Figures of a finished epoch (counted from 1).
struct SessionEpoch {
    int64_t epoch = 0;
    int64_t epochs = 0;
    double trainLoss = 0.0;
    std::optional<double> trainAccuracy;
    std::optional<double> trainTopFiveAccuracy;
    std::optional<double> validationLoss;
    std::optional<double> validationAccuracy;
    std::optional<double> validationTopFiveAccuracy;
    std::optional<double> validationMeanAbsoluteError;
    std::optional<double> validationRootMeanSquaredError;
    double learningRate = 0.0;
    double seconds = 0.0;
    bool improved = false; ///< best monitored value so far
    /// Per-block statistics averaged over the epoch's recorded batches (training setting statistics_every).
    std::vector<BlockStatistics> statistics;
    std::vector<std::string> warnings; ///< what they warn of (dead ReLUs); also logged through onLog
};

/// How the run ended.
struct SessionOutcome {
    std::string stopReason; ///< completed, early_stopping, stopped, nan, failed
    std::string message;
    int64_t epochsCompleted = 0;
    int64_t bestEpoch = 0; ///< counted from 1; 0 = none
    std::optional<double> testLoss;
    std::optional<double> testAccuracy;
    std::optional<double> testTopFiveAccuracy;
    std::optional<double> testMeanAbsoluteError;
    std::optional<double> testRootMeanSquaredError;
    int64_t testSamples = 0;
    std::vector<std::vector<int64_t>> confusionMatrix; ///< test set, [true][predicted]
    std::vector<double> perClassAccuracy; ///< test set; NaN for absent classes
    std::vector<std::string> classNames;
    std::vector<std::string> vocabulary; ///< token by id for text data (also vocabulary.json in the run's folder)
    std::string checkpointPath; ///< last checkpoint written, if any
    std::string weightsPath; ///< final weights written, if any
    /// For stopReason "nan": the canvas block the failing batch's checks named (the composite instance
    /// for an inner block); empty when none was found. The message says what it did.
    std::string nonFiniteBlockId;
    /// For stopReason "nan": the whole finding (the block as the network ran it, "enc1__conv", for the
    /// inner block of an open composite; what happened there), when the checks found one.
    std::optional<NonFiniteFinding> nonFinite;
};

/// All optional; called on the thread that runs start().
struct SessionCallbacks {
    std::function<void(const std::string&)> onLog; ///< "Loaded Shapes, 6000 samples, ..."
    std::function<void(const SessionBatch&)> onBatch;
    std::function<void(const SessionEpoch&)> onEpoch;
    /// Each recorded batch's per-block statistics with their histograms (training setting statistics_every).
    std::function<void(const StatisticsRecord&)> onStatistics;
    std::function<void(const SessionOutcome&)> onFinished; ///< once training began, however it ended
    std::function<void(const std::string&)> onError; ///< failed before training began (data, design)
};

/// One run of a project snapshot. start() blocks the calling thread; the control functions may be
/// called from any thread (requestStopFromSignal() from a signal handler).
class TrainingSession {
public:
    /// `outputDirectory` receives checkpoint.pt, weights.pt; empty = no files.
    TrainingSession(Project snapshot, std::string projectDirectory, std::string outputDirectory);
    ~TrainingSession();
    TrainingSession(const TrainingSession&) = delete;
    TrainingSession& operator=(const TrainingSession&) = delete;

    void setResumeFrom(std::string checkpointPath) { resumeFrom_ = std::move(checkpointPath); }
    /// Trains as one rank of a data-parallel job (TrainerOptions::distributed); only rank 0 writes files.
    void setDistributed(std::shared_ptr<DistributedContext> context) { distributed_ = std::move(context); }
    void setCallbacks(SessionCallbacks callbacks) { callbacks_ = std::move(callbacks); }
    /// onBatch cadence (the last batch of an epoch is always reported).
    void setReportEveryBatches(int64_t batches) { reportEveryBatches_ = batches; }
    /// A language model's sampled text, logged through onLog after the run ends (3 greedy continuations
    /// of 40 tokens unless changed; samples 0 turns it off). Other projects log none.
    void setTextSampling(TextSamplingOptions options) { textSampling_ = options; }

    /// Loads the data, builds the model and trains; never throws.
    void start();

    void requestStop();
    void requestStopFromSignal();
    void pause();
    void resume();
    /// graphFingerprint() of the snapshot's graph.
    const std::string& graphHash() const { return graphHash_; }
    const Project& project() const { return project_; }

private:
    /// The sampled text of a language model, through onLog; nothing for other data.
    void logSampledText(GraphModelImpl& model, const InMemoryDataset& prompts, const std::string& part);

    Project project_;
    std::string projectDirectory_;
    std::string outputDirectory_;
    std::string resumeFrom_;
    std::string graphHash_;
    int64_t reportEveryBatches_ = 1;
    TextSamplingOptions textSampling_;
    SessionCallbacks callbacks_;
    std::shared_ptr<RunControl> control_;
    std::shared_ptr<DistributedContext> distributed_;
};

} // namespace netdraft::engine
