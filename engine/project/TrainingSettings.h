#pragma once
// How a project trains: optimizer, schedule, loss, stopping, device. Stored in the project file.

#include "engine/project/SettingField.h"

#include <cstdint>
#include <string>
#include <vector>

namespace netdraft::engine {

/// Training hyperparameters. Names match the project file's keys (see fields()).
struct TrainingSettings {
    int64_t epochs = 10;
    int64_t batchSize = 64;
    std::string optimizer = "sgd"; ///< one of optimizers(): sgd, adam, adamw, rmsprop, adagrad
    double learningRate = 0.001;
    double momentum = 0.9;
    bool nesterov = false;
    double weightDecay = 0.0;
    double beta1 = 0.9;
    double beta2 = 0.999;
    std::string schedule = "constant"; ///< one of schedules(): constant, step, multistep, exponential, cosine, onecycle
    int64_t stepSize = 10;             ///< step: epochs between decays
    double gamma = 0.1;                ///< step/multistep/exponential decay factor
    IntList milestones{30, 60};        ///< multistep: epochs at which to decay
    int64_t warmupEpochs = 0;          ///< linear warm-up before any schedule
    double minLearningRate = 0.0;      ///< cosine: final learning rate
    std::string loss = "cross_entropy"; ///< one of losses(): cross_entropy, nll, bce_with_logits, mse, l1, smooth_l1
    double labelSmoothing = 0.0;
    bool topFiveAccuracy = false;
    int64_t earlyStoppingPatience = 0; ///< epochs without improvement before stopping; 0 = off
    std::string monitor = "val_loss";  ///< val_loss or val_accuracy
    bool keepBest = true;              ///< end with the weights of the best monitored epoch
    double gradientClipNorm = 0.0;     ///< 0 = off
    int64_t seed = 42;
    std::string device = "cpu";        ///< cpu, cuda, cuda:K, or a list (cuda:0,cuda:1) for data-parallel training
    int64_t threads = 0;               ///< 0 = all cores
    std::string precision = "fp32";    ///< fp32, bf16, fp16 (mixed precision)
    bool channelsLast = false;         ///< convolutional graphs: weights and inputs in NHWC order
    bool cudnnBenchmark = false;       ///< let cuDNN time its algorithms for each new input shape
    bool deterministic = false;        ///< only deterministic algorithms (slower; errors for ops that have none)
    int64_t statisticsEvery = 0;       ///< record per-block statistics every N batches; 0 = off
    /// Frozen blocks while training: "eval" (batch-norm statistics stay, dropout off) or "train" (batch
    /// norm normalises with each batch and updates its statistics; weights still stay).
    std::string frozenBatchNorm = "eval";

    /// The description of every field, in file order; the `optimizer`, `schedule` and `loss` choices
    /// are the names registered at start-up.
    static const std::vector<SettingField<TrainingSettings>>& fields();

    /// Adds a choice to `optimizer`, `schedule` or `loss`. engine/train's registries (OptimizerRegistry,
    /// ScheduleRegistry, LossRegistry) call them for each entry, at start-up: project/ sits below train/
    /// and cannot ask them itself. `listPosition` orders the choices (the settings form's list);
    /// `classification` says whether the loss wants class indexes as targets (isClassificationLoss).
    static void addOptimizer(const std::string& name, int listPosition);
    static void addSchedule(const std::string& name, int listPosition);
    static void addLoss(const std::string& name, int listPosition, bool classification);
    /// The registered names, by list position.
    static std::vector<std::string> optimizers();
    static std::vector<std::string> schedules();
    static std::vector<std::string> losses();
    bool operator==(const TrainingSettings& other) const;
};

/// Whether the loss named `loss` (TrainingSettings::loss) wants class indexes as targets, as its
/// registration says (cross_entropy, nll and bce_with_logits do; the others regress values); false
/// for an unknown name.
bool isClassificationLoss(const std::string& loss);

} // namespace netdraft::engine
