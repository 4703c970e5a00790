#include "engine/project/TrainingSettings.h"

#include "engine/project/ChoiceList.h"

#include <set>

namespace netdraft::engine {

namespace {

ChoiceList& registeredOptimizers()
{
    static ChoiceList optimizers;
    return optimizers;
}

ChoiceList& registeredSchedules()
{
    static ChoiceList schedules;
    return schedules;
}

ChoiceList& registeredLosses()
{
    static ChoiceList losses;
    return losses;
}

/// The registered losses that want class indexes.
std::set<std::string>& classificationLosses()
{
    static std::set<std::string> losses;
    return losses;
}

} // namespace

void TrainingSettings::addOptimizer(const std::string& name, int listPosition)
{
    registeredOptimizers().add(name, listPosition);
}

void TrainingSettings::addSchedule(const std::string& name, int listPosition)
{
    registeredSchedules().add(name, listPosition);
}

void TrainingSettings::addLoss(const std::string& name, int listPosition, bool classification)
{
    registeredLosses().add(name, listPosition);
    // A second registration replaces the first, flag included.
    if (classification)
        classificationLosses().insert(name);
    else
        classificationLosses().erase(name);
}

std::vector<std::string> TrainingSettings::optimizers()
{
    return registeredOptimizers().words();
}

std::vector<std::string> TrainingSettings::schedules()
{
    return registeredSchedules().words();
}

std::vector<std::string> TrainingSettings::losses()
{
    return registeredLosses().words();
}

const std::vector<SettingField<TrainingSettings>>& TrainingSettings::fields()
{
    using S = TrainingSettings;
    // Built on first use, after engine/train registered its optimizers, schedules and losses (while
    // the engine library loaded).
    static const std::vector<SettingField<S>> fields{
        bindField(setting::integer("epochs").min(1).max(100000).help("Passes over the training data."), &S::epochs),
        bindField(setting::integer("batch_size").min(1).max(65536).help("Samples per optimizer step."), &S::batchSize),
        bindField(setting::choice("optimizer", optimizers())
                      .help("The update rule."),
                  &S::optimizer),
        bindField(setting::real("learning_rate").min(0).max(10).help("Step size."), &S::learningRate),
        bindField(setting::real("momentum").min(0).max(1).help("SGD and RMSprop momentum."), &S::momentum),
        bindField(setting::boolean("nesterov").isAdvanced().help("Nesterov momentum (SGD)."), &S::nesterov),
        bindField(setting::real("weight_decay").min(0).max(1).help("L2 penalty (decoupled for AdamW)."),
                  &S::weightDecay),
        bindField(setting::real("beta1").min(0).max(1).isAdvanced().help("Adam/AdamW first-moment decay."),
                  &S::beta1),
        bindField(setting::real("beta2").min(0).max(1).isAdvanced().help("Adam/AdamW second-moment decay."),
                  &S::beta2),
        bindField(setting::choice("schedule", schedules())
                      .help("How the learning rate changes over epochs."),
                  &S::schedule),
        bindField(setting::integer("step_size").min(1).help("Step schedule: epochs between decays."), &S::stepSize),
        bindField(setting::real("gamma").min(0).max(1).help("Decay factor (step, multistep, exponential)."),
                  &S::gamma),
        bindField(setting::intList("milestones").min(1).help("Multistep: epochs at which to decay."),
                  &S::milestones),
        bindField(setting::integer("warmup_epochs").min(0).help("Linear warm-up epochs before the schedule."),
                  &S::warmupEpochs),
        bindField(setting::real("min_learning_rate").min(0).help("Cosine: learning rate at the end."),
                  &S::minLearningRate),
        bindField(setting::choice("loss", losses())
                      .help("What training minimises."),
                  &S::loss),
        bindField(setting::real("label_smoothing").min(0).max(1).help("Cross-entropy label smoothing."),
                  &S::labelSmoothing),
        bindField(setting::boolean("top5_accuracy").help("Also report top-5 accuracy."), &S::topFiveAccuracy),
        bindField(setting::integer("early_stopping_patience").min(0).help(
                      "Stop after this many epochs without improvement; 0 turns early stopping off."),
                  &S::earlyStoppingPatience),
        bindField(setting::choice("monitor", {"val_loss", "val_accuracy"})
                      .help("Metric for early stopping and keep-best."),
                  &S::monitor),
        bindField(setting::boolean("keep_best").help("End with the weights of the best epoch."), &S::keepBest),
        bindField(setting::real("gradient_clip_norm").min(0).help("Clip the gradient norm; 0 = off."),
                  &S::gradientClipNorm),
        bindField(setting::integer("seed").min(0).help("Seed for weights, shuffling and augmentation."), &S::seed),
        bindField(setting::text("device")
                      .help("cpu, cuda or cuda:K; a list such as cuda:0,cuda:1 trains data-parallel on those devices."),
                  &S::device),
        bindField(setting::integer("threads").min(0).max(1024).help("CPU threads; 0 uses all cores."), &S::threads),
        bindField(setting::choice("precision", {"fp32", "bf16", "fp16"})
                      .help("fp32, or mixed precision: bf16 (CUDA, or a CPU with AVX-512 BF16/AMX) or fp16 "
                            "(CUDA, with loss scaling). Weights stay fp32."),
                  &S::precision),
        bindField(setting::boolean("channels_last")
                      .isAdvanced()
                      .help("Convolutional graphs: keep 4-d weights and inputs in channels-last (NHWC) order, "
                            "which mixed-precision convolutions run faster in."),
                  &S::channelsLast),
        bindField(setting::boolean("cudnn_benchmark")
                      .isAdvanced()
                      .help("CUDA: let cuDNN time its algorithms for each new input shape and keep the fastest."),
                  &S::cudnnBenchmark),
        bindField(setting::boolean("deterministic")
                      .isAdvanced()
                      .help("Use only deterministic algorithms, so that runs repeat exactly on the GPU too; "
                            "slower, and an error for operations that have no deterministic version."),
                  &S::deterministic),
        bindField(setting::integer("statistics_every")
                      .min(0)
                      .isAdvanced()
                      .help("Record each block's activation and gradient statistics (mean, std, zeros, max |x|, "
                            "gradient norm) every N batches into statistics.jsonl, and warn of dead ReLUs; 0 = off."),
                  &S::statisticsEvery),
        bindField(setting::choice("frozen_batch_norm", { "eval", "train" })
                      .isAdvanced()
                      .help("Frozen blocks while training. eval: they run as at inference, so batch-norm "
                            "statistics stay as loaded and dropout is off (they compute what they computed "
                            "before). train: they run in training mode like the rest, so batch norm normalises "
                            "with each batch and its running statistics follow the new data; their weights "
                            "stay either way."),
                  &S::frozenBatchNorm),
    };
    return fields;
}

bool TrainingSettings::operator==(const TrainingSettings& other) const
{
    for (const auto& field : fields())
        if (field.get(*this) != field.get(other))
            return false;
    return true;
}

bool isClassificationLoss(const std::string& loss)
{
    return classificationLosses().count(loss) > 0;
}

} // namespace netdraft::engine
