#pragma once
// Trains a graph's model on prepared data on the caller's thread, reporting through callbacks with
// plain values; stop and pause may be requested from other threads.

#include "engine/data/PreparedData.h"
#include "engine/distributed/DistributedContext.h"
#include "engine/model/GraphModel.h"
#include "engine/project/Project.h"
#include "engine/train/RunBlockNames.h"
#include "engine/train/RunControl.h"
#include "engine/train/TrainingReports.h"

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace netdraft::engine {

/// How a run is wired to files and reports; the hyperparameters are in TrainingSettings.
struct TrainerOptions {
    std::string graphHash; ///< graphFingerprint() of the graph; written to checkpoints, checked on resume
    std::string outputDirectory; ///< receives checkpoint.pt (every epoch and at a stop) and weights.pt; empty = none
    std::string resumeFrom; ///< a checkpoint to continue from; empty = a fresh run
    int64_t cropPadding = 0; ///< training augmentation (DatasetSpec::cropPadding)
    bool horizontalFlip = false; ///< training augmentation (DatasetSpec::horizontalFlip)
    int64_t reportEveryBatches = 1; ///< onBatch cadence; an epoch's last batch is always reported
    /// Let the loader prepare the next batch on a helper thread; used when training on a GPU or when
    /// LibTorch's threads leave a CPU core free.
    bool prefetch = true;
    /// Keep the CPU buffers a step frees for the next step (CpuAllocationCache) instead of faulting
    /// fresh pages in every step; off only to measure what it saves.
    bool reuseCpuBuffers = true;
    std::shared_ptr<RunControl> control; ///< stop/pause flags shared with a caller; null: the trainer's own
    /// Builds another copy of the model (same graph), one per extra device for data-parallel training;
    /// forProject() sets it. Without it only one device can be named.
    std::function<GraphModel()> buildReplica;
    /// A state dict to start from (Project::initialWeights, resolved); forProject() loads what fits.
    /// Ignored when resuming.
    std::string initialWeights;
    /// Blocks whose modules stay in eval mode while training (frozen, unless the setting
    /// frozen_batch_norm is train); forProject() sets it (evalModeBlockIds).
    std::set<std::string> frozenBlocks;
    /// Blocks whose parameters learn at the run's learning rate times their scale (not 1), one optimizer
    /// group per scale; forProject() sets it (learningRateScales).
    std::map<std::string, double> learningRateScales;
    /// Data-parallel over processes (torchrun workers): every rank trains on its part of each batch,
    /// the gradients are summed over the ranks, and only rank 0 writes files. Null = one process.
    std::shared_ptr<DistributedContext> distributed;
    /// How the NaN diagnosis and the per-block statistics name blocks; forProject() sets it. Without it
    /// blocks go by id and no block counts as a ReLU.
    RunBlockNames blockNames;
};

/// One training run. Reproducible on the CPU: the same seed, data and settings give the same losses
/// bit for bit, and a run resumed from a checkpoint ends with the weights of an uninterrupted one.
class Trainer {
public:
    static constexpr const char* checkpointFileName = "checkpoint.pt";
    static constexpr const char* weightsFileName = "weights.pt";
    static constexpr const char* statisticsFileName = "statistics.jsonl"; ///< TrainingSettings::statisticsEvery

    Trainer(GraphModel model, PreparedData data, TrainingSettings settings, TrainerOptions options = {});
    /// Builds the project's model from its graph and training seed, and takes the graph fingerprint and
    /// augmentation from the project.
    static std::unique_ptr<Trainer> forProject(const Project& project, PreparedData data, TrainerOptions options = {});
    /// The same with the project's network already compiled (CompiledNetwork::compile(project)), so a
    /// run that checked its data against the network does not infer shapes again.
    static std::unique_ptr<Trainer> forProject(
        const Project& project, const CompiledNetwork& network, PreparedData data, TrainerOptions options = {});

    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;
    ~Trainer();

    void setObserver(TrainingObserver observer) { observer_ = std::move(observer); }

    /// Trains until the epochs are done, early stopping triggers, a stop is requested or the loss stops
    /// being finite. Errors (bad settings, data, checkpoint or device, running out of memory) end the run
    /// with reason Failed instead of throwing; the model stays usable. Calls observer.onFinished with the
    /// result before returning.
    TrainingResult run();

    /// Stops before the next batch; a checkpoint of that point is written. Any thread.
    void requestStop() { control_->requestStop(); }
    /// For SIGINT handlers: async-signal-safe.
    void requestStopFromSignal() { control_->requestStopFromSignal(); }
    /// Holds the run before the next batch until resume() or requestStop(). Any thread.
    void pause() { control_->pause(); }
    void resume() { control_->resume(); }

    /// The model being trained (the final weights once run() returned).
    GraphModel model() const { return model_; }
    const TrainingSettings& settings() const { return settings_; }
    /// What forProject() loaded from TrainerOptions::initialWeights, for the log; empty when nothing.
    const std::string& startingWeightsNote() const { return startingWeightsNote_; }

private:
    struct Run;
    void runUnguarded(TrainingResult& result);
    bool trainEpoch(Run& run, int64_t epoch, TrainingResult& result);
    /// Runs the failing batch again with checks after each block and ends the run with reason
    /// NonFiniteLoss, naming the block found. `what`: "loss became NaN", "a gradient became infinite".
    void stopForNonFinite(Run& run, const Batch& batch, const std::string& what, int64_t epoch, int64_t batchIndex,
        TrainingResult& result);
    void finishEpoch(Run& run, int64_t epoch, TrainingResult& result);
    void finish(Run& run, TrainingResult& result);
    void writeCheckpoint(Run& run, TrainingResult& result);
    /// This process writes the checkpoints and weights (rank 0, or the only process).
    bool writesFiles() const;

    GraphModel model_;
    PreparedData data_;
    TrainingSettings settings_;
    TrainerOptions options_;
    TrainingObserver observer_;
    std::shared_ptr<RunControl> control_;
    std::string startingWeightsNote_;
};

} // namespace netdraft::engine
