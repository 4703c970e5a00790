#include "engine/train/Trainer.h"

#include "engine/core/Error.h"
#include "engine/io/SettingsJson.h"
#include "engine/train/AvailableDevices.h"
#include "engine/train/BestEpochTracker.h"
#include "engine/train/BlockStatisticsRecorder.h"
#include "engine/train/Checkpoint.h"
#include "engine/train/CpuAllocationCache.h"
#include "engine/train/DeadReluCheck.h"
#include "engine/train/DeviceSelection.h"
#include "engine/train/DistributedTraining.h"
#include "engine/train/Evaluation.h"
#include "engine/train/FineTuning.h"
#include "engine/train/GraphFingerprint.h"
#include "engine/train/LearningRateScales.h"
#include "engine/train/LearningRateSchedule.h"
#include "engine/train/LossFunction.h"
#include "engine/train/MixedPrecision.h"
#include "engine/train/NonFiniteDiagnosis.h"
#include "engine/train/OptimizerFactory.h"
#include "engine/train/OutOfMemory.h"
#include "engine/train/TrainingStep.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

namespace netdraft::engine {

namespace {

using Clock = std::chrono::steady_clock;

/// Whether the `device` setting names the CPU; an unknown device counts as the CPU here (the run then
/// fails with the device's error).
bool trainsOnCpu(const std::string& device)
{
    try {
        return selectDevices(device).front().is_cpu();
    } catch (const std::exception&) {
        return true;
    }
}

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

NamedTensors cloneState(const torch::nn::Module& module)
{
    NamedTensors copy;
    for (auto& [name, tensor] : moduleState(module))
        copy.emplace_back(name, tensor.detach().clone());
    return copy;
}

/// cuDNN's algorithm search and deterministic mode are process-wide in LibTorch; each run sets them.
void applyAlgorithmSettings(const TrainingSettings& settings)
{
    at::globalContext().setBenchmarkCuDNN(settings.cudnnBenchmark && !settings.deterministic);
    at::globalContext().setDeterministicCuDNN(settings.deterministic);
    // cuBLAS is deterministic only with a fixed workspace, chosen before its first use.
    if (settings.deterministic)
        ::setenv("CUBLAS_WORKSPACE_CONFIG", ":4096:8", /*overwrite=*/0);
    at::globalContext().setDeterministicAlgorithms(settings.deterministic, /*warn_only=*/false);
}

} // namespace

const char* toString(StopReason reason)
{
    switch (reason) {
    case StopReason::Completed:
        return "completed";
    case StopReason::EarlyStopping:
        return "early_stopping";
    case StopReason::Requested:
        return "stopped";
    case StopReason::NonFiniteLoss:
        return "nan";
    case StopReason::Failed:
        return "failed";
    }
    return "unknown";
}

/// The state of one call to run().
struct Trainer::Run {
    torch::Device device = torch::kCPU; ///< the first of devices: the model, the optimizer and the data live here
    std::vector<torch::Device> devices;
    Precision precision = Precision::Float32;
    std::unique_ptr<GradientReducer> gradients; ///< data-parallel over processes
    bool stopAgreed = false; ///< a rank was asked to stop: all stop before the next batch
    std::unique_ptr<TrainingStep> step;
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    std::unique_ptr<LearningRateSchedule> schedule;
    std::vector<double> learningRateScales; ///< of the optimizer's parameter groups, in order
    std::optional<LossFunction> loss;
    std::optional<BestEpochTracker> tracker;
    TrainingProgress progress;
    NamedTensors bestWeights;
    LoaderOptions trainLoading;
    LoaderOptions evaluationLoading;
    std::unique_ptr<DataLoader> trainLoader;
    MetricAccumulator::Options trainMetrics;
    Metrics epochTrain;
    double epochSeconds = 0.0;
    std::unique_ptr<BlockStatisticsRecorder> statistics; ///< null when TrainingSettings::statisticsEvery is 0
    std::vector<StatisticsRecord> epochStatistics;
    std::ofstream statisticsFile;
};

Trainer::Trainer(GraphModel model, PreparedData data, TrainingSettings settings, TrainerOptions options)
    : model_(std::move(model))
    , data_(std::move(data))
    , settings_(std::move(settings))
    , options_(std::move(options))
    , control_(options_.control ? options_.control : std::make_shared<RunControl>())
{
}

Trainer::~Trainer() = default;

std::unique_ptr<Trainer> Trainer::forProject(const Project& project, PreparedData data, TrainerOptions options)
{
    return forProject(project, CompiledNetwork::compile(project), std::move(data), std::move(options));
}

std::unique_ptr<Trainer> Trainer::forProject(
    const Project& project, const CompiledNetwork& network, PreparedData data, TrainerOptions options)
{
    options.graphHash = graphFingerprint(project.graph);
    options.cropPadding = project.dataset.cropPadding;
    options.horizontalFlip = project.dataset.horizontalFlip;
    options.buildReplica = [network, seed = static_cast<uint64_t>(project.training.seed)] {
        GraphModel replica = buildModel(network, seed);
        freezeBlocks(*replica, network);
        return replica;
    };
    GraphModel model = buildModel(network, static_cast<uint64_t>(project.training.seed));
    std::string note;
    if (!options.initialWeights.empty() && options.resumeFrom.empty()) {
        const WeightsMismatch left = importMatchingWeightsFile(*model, options.initialWeights);
        note = "starting weights: " + options.initialWeights;
        if (!left.empty())
            note += "; these keep their seeded values:" + left.toString();
    }
    freezeBlocks(*model, network);
    options.frozenBlocks = evalModeBlockIds(network, project.training);
    options.learningRateScales = learningRateScales(network);
    options.blockNames = RunBlockNames::of(network);
    auto trainer = std::make_unique<Trainer>(std::move(model), std::move(data), project.training, std::move(options));
    trainer->startingWeightsNote_ = std::move(note);
    return trainer;
}

TrainingResult Trainer::run()
{
    TrainingResult result;
    auto failOnOutOfMemory = [&](const std::exception& error) {
        std::optional<std::string> message = outOfMemoryMessage(error, settings_.batchSize, settings_.device);
        if (!message)
            return false;
        // The run's activations, gradients and optimizer state are gone with runUnguarded's frame; drop
        // the gradients too and hand the allocator's cache back, so the app and the model stay usable.
        for (torch::Tensor& parameter : model_->parameters())
            parameter.mutable_grad().reset();
        releaseCachedDeviceMemory();
        result.reason = StopReason::Failed;
        result.message = *message;
        return true;
    };
    // Only for CPU runs: on a GPU the activations are not the CPU allocator's, and the cache's
    // bookkeeping slowed the host side of a CUDA step (bench/README.md, "On a GPU").
    std::optional<CpuAllocationCache> reusedBuffers;
    if (options_.reuseCpuBuffers && trainsOnCpu(settings_.device))
        reusedBuffers.emplace();
    try {
        runUnguarded(result);
    } catch (const Error& error) {
        result.reason = StopReason::Failed;
        result.message = error.what();
    } catch (const c10::Error& error) {
        if (!failOnOutOfMemory(error)) {
            result.reason = StopReason::Failed;
            result.message = std::string("LibTorch: ") + error.what_without_backtrace();
        }
    } catch (const std::exception& error) {
        if (!failOnOutOfMemory(error)) {
            result.reason = StopReason::Failed;
            result.message = error.what();
        }
    }
    if (observer_.onFinished)
        observer_.onFinished(result);
    return result;
}

void Trainer::runUnguarded(TrainingResult& result)
{
    Run run;
    configureThreads(settings_.threads);
    run.devices = selectDevices(settings_.device);
    run.device = run.devices.front();
    const Precision precision = parsePrecision(settings_.precision);
    checkPrecision(precision, run.devices);
    run.precision = precision;
    applyAlgorithmSettings(settings_);
    model_->to(run.device);
    run.loss = LossFunction::fromSettings(settings_);
    std::vector<GraphModel> replicas;
    ND_CHECK(run.devices.size() == 1 || options_.buildReplica, "device '", settings_.device,
        "': data-parallel training needs a way to build model replicas (TrainerOptions::buildReplica)");
    for (size_t i = 1; i < run.devices.size(); ++i)
        replicas.push_back(options_.buildReplica());
    std::vector<torch::Tensor> trainable; // frozen blocks' parameters are not the optimizer's
    for (const torch::Tensor& parameter : model_->parameters())
        if (parameter.requires_grad())
            trainable.push_back(parameter);
    StepOptions stepOptions;
    stepOptions.precision = precision;
    stepOptions.channelsLast = settings_.channelsLast;
    stepOptions.gradientClipNorm = settings_.gradientClipNorm;
    stepOptions.checkGradients = true;
    stepOptions.readLossAfterBackward = !options_.distributed; // one wait for the GPU per step, not two
    if (options_.distributed) {
        ND_CHECK(run.devices.size() == 1, "device '", settings_.device,
            "': a distributed worker trains on one device (torchrun starts one worker per device)");
        run.gradients = std::make_unique<GradientReducer>(options_.distributed, trainable);
        stepOptions.gradients = run.gradients.get();
    }
    run.step = std::make_unique<TrainingStep>(model_, std::move(replicas), run.devices, *run.loss, stepOptions);
    ND_CHECK(!trainable.empty() || model_->parameters().empty(),
        "training: every block with weights is frozen; nothing would train (unfreeze a block)");
    const std::vector<ScaledParameters> groups = groupByLearningRateScale(*model_, options_.learningRateScales);
    run.optimizer = makeOptimizer(settings_, groups);
    run.learningRateScales = scalesOf(groups);
    run.schedule = makeSchedule(settings_);
    run.tracker.emplace(settings_.monitor, settings_.earlyStoppingPatience);
    run.trainMetrics.topFive = settings_.topFiveAccuracy;
    if (writesFiles())
        std::filesystem::create_directories(options_.outputDirectory);
    ND_CHECK(settings_.statisticsEvery >= 0, "training setting statistics_every: must be >= 0, got ",
        settings_.statisticsEvery);
    if (settings_.statisticsEvery > 0) {
        run.statistics = std::make_unique<BlockStatisticsRecorder>(model_, options_.blockNames);
        if (writesFiles()) {
            const std::filesystem::path path = std::filesystem::path(options_.outputDirectory) / statisticsFileName;
            run.statisticsFile.open(path, options_.resumeFrom.empty() ? std::ios::trunc : std::ios::app);
            ND_CHECK(run.statisticsFile.good(), "cannot write ", path.string());
        }
    }

    if (!options_.resumeFrom.empty()) {
        const Checkpoint checkpoint = Checkpoint::open(options_.resumeFrom, run.device);
        ND_CHECK(checkpoint.canResume(), "checkpoint ", options_.resumeFrom,
            ": holds weights only; resume needs a checkpoint.pt written during training");
        checkpoint.requireGraph(options_.graphHash);
        checkpoint.restoreModel(*model_);
        checkpoint.restoreOptimizer(*run.optimizer, settings_.optimizer);
        run.progress = checkpoint.progress();
        run.tracker->restoreFrom(run.progress);
        run.bestWeights = checkpoint.bestWeights();
        at::Generator generator = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(generator.mutex());
        generator.set_state(checkpoint.rngState());
    } else {
        torch::manual_seed(static_cast<uint64_t>(settings_.seed));
    }
    if (options_.distributed)
        broadcastModel(*options_.distributed, *model_);
    result.epochsCompleted = run.progress.epoch;
    result.bestEpoch = run.progress.bestEpoch + 1;

    run.trainLoading.batchSize = settings_.batchSize;
    run.trainLoading.shuffle = true;
    run.trainLoading.seed = static_cast<uint64_t>(settings_.seed);
    run.trainLoading.cropPadding = options_.cropPadding;
    run.trainLoading.horizontalFlip = options_.horizontalFlip;
    run.trainLoading.normalization = data_.normalization;
    run.trainLoading.device = run.device;
    // A helper thread assembling the next batch only pays when a core is free for it: with LibTorch's
    // threads on every core it takes turns with them and leaves ~9 % of the run serial
    // (bench/README.md, "Trainer against the plain loop on a quiet machine").
    // Distributed workers on one machine share its cores.
    const unsigned workersHere
        = options_.distributed ? static_cast<unsigned>(options_.distributed->environment().localWorldSize) : 1u;
    run.trainLoading.prefetch = options_.prefetch
        && (run.device.is_cuda()
            || static_cast<unsigned>(torch::get_num_threads()) * workersHere < std::thread::hardware_concurrency());
    run.evaluationLoading = run.trainLoading;
    if (options_.distributed) {
        run.trainLoading.shardIndex = options_.distributed->rank();
        run.trainLoading.shardCount = options_.distributed->worldSize();
    }
    run.evaluationLoading.shuffle = false;
    run.evaluationLoading.cropPadding = 0;
    run.evaluationLoading.horizontalFlip = false;
    ND_CHECK(data_.train.size() > 0, "training data: the training part is empty");
    run.trainLoader = std::make_unique<DataLoader>(data_.train, run.trainLoading);

    for (int64_t epoch = run.progress.epoch; epoch < settings_.epochs; ++epoch) {
        if (!trainEpoch(run, epoch, result))
            return finish(run, result);
        finishEpoch(run, epoch, result);
        if (run.tracker->patienceExhausted()) {
            result.reason = StopReason::EarlyStopping;
            result.message = "early stopping: " + settings_.monitor + " did not improve for "
                + std::to_string(settings_.earlyStoppingPatience) + " epochs";
            return finish(run, result);
        }
    }
    result.reason = StopReason::Completed;
    result.message = "completed " + std::to_string(settings_.epochs) + " epochs";
    finish(run, result);
}

bool Trainer::trainEpoch(Run& run, int64_t epoch, TrainingResult& result)
{
    run.schedule->apply(*run.optimizer, epoch, run.learningRateScales);
    const double learningRate = learningRateOf(*run.optimizer, run.learningRateScales);
    model_->train();
    keepFrozenBlocksInEval(*model_, options_.frozenBlocks);
    DataLoader& loader = *run.trainLoader;
    loader.startEpoch(epoch);
    const int64_t batches = loader.batchesPerEpoch();
    int64_t batchIndex = 0;
    if (epoch == run.progress.epoch) // resuming mid-epoch: the loader replays the same order
        for (; batchIndex < run.progress.batchInEpoch && loader.next(); ++batchIndex) { }
    MetricAccumulator accumulator(run.trainMetrics);
    int64_t samplesSeen = 0; ///< over all ranks
    double activeSeconds = 0.0;
    Clock::time_point start = Clock::now();
    while (true) {
        if (control_->paused()) {
            activeSeconds += secondsSince(start);
            control_->waitWhilePaused();
            start = Clock::now();
        }
        if (options_.distributed ? run.stopAgreed : control_->stopRequested()) {
            run.progress.epoch = epoch;
            run.progress.batchInEpoch = batchIndex;
            writeCheckpoint(run, result);
            result.reason = StopReason::Requested;
            result.message = "stopped at epoch " + std::to_string(epoch + 1) + ", batch " + std::to_string(batchIndex);
            return false;
        }
        std::optional<Batch> batch = loader.next();
        if (!batch)
            break;
        const bool recordStatistics
            = run.statistics && batch->size() > 0 && run.progress.step % settings_.statisticsEvery == 0;
        if (recordStatistics)
            run.statistics->start();
        // A rank may get no samples of a tiny last batch; it still takes part in the step.
        const StepForward forward
            = batch->size() > 0 ? run.step->forward(batch->inputs, batch->targets) : StepForward {};
        if (recordStatistics)
            run.statistics->stop();
        double value = forward.lossValue;
        int64_t stepSamples = batch->size();
        if (options_.distributed) {
            const StepAgreement agreed
                = agreeOnStep(*options_.distributed, value, batch->size(), control_->stopRequested());
            value = agreed.loss;
            stepSamples = agreed.samples;
            run.stopAgreed = agreed.stop;
            run.gradients->prepare(agreed.share);
        }
        ++batchIndex;
        const bool lossReadNow = options_.distributed != nullptr; // else read with the gradients (StepOptions)
        if (lossReadNow && !std::isfinite(value)) {
            run.step->discard();
            // The weights are still those of the previous step; the last checkpoint stays as it is.
            stopForNonFinite(run, *batch, std::string("loss became ") + (std::isnan(value) ? "NaN" : "infinite"), epoch,
                batchIndex, result);
            return false;
        }
        run.step->backwardAndStep(*run.optimizer); // skipped when fp16 gradients overflowed; the scale backs off
        if (!lossReadNow && run.step->lastLossNonFinite()) { // read with the gradients; the step was skipped
            const double loss = run.step->lastLossValue();
            stopForNonFinite(run, *batch, std::string("loss became ") + (std::isnan(loss) ? "NaN" : "infinite"), epoch,
                batchIndex, result);
            return false;
        }
        if (run.step->lastGradientsNonFinite()) { // the step was skipped: the weights are still finite
            stopForNonFinite(run, *batch, "a gradient became NaN or infinite", epoch, batchIndex, result);
            return false;
        }
        if (recordStatistics) {
            StatisticsRecord record = run.statistics->finish(epoch + 1, batchIndex, run.progress.step);
            if (run.statisticsFile.is_open())
                run.statisticsFile << statisticsJsonLine(record) << "\n" << std::flush;
            if (observer_.onStatistics)
                observer_.onStatistics(record);
            run.epochStatistics.push_back(std::move(record));
        }
        ++run.progress.step;
        if (batch->size() > 0)
            accumulator.add(forward.output, batch->targets, forward.loss);
        samplesSeen += stepSamples;
        if (options_.distributed)
            options_.distributed->setStep(run.progress.step);

        const bool report
            = batchIndex % std::max<int64_t>(options_.reportEveryBatches, 1) == 0 || batchIndex == batches;
        if (report && observer_.onBatch) {
            BatchReport progress { epoch + 1, settings_.epochs, batchIndex, batches, run.progress.step,
                accumulator.runningLoss(), accumulator.runningAccuracy() };
            const double seconds = activeSeconds + secondsSince(start);
            progress.samplesPerSecond = seconds > 0 ? static_cast<double>(samplesSeen) / seconds : 0.0;
            progress.learningRate = learningRate;
            observer_.onBatch(progress);
        }
    }
    run.epochTrain = accumulator.result();
    if (options_.distributed)
        run.epochTrain = reduceMetrics(*options_.distributed, run.epochTrain);
    run.epochSeconds = activeSeconds + secondsSince(start);
    return true;
}

void Trainer::stopForNonFinite(
    Run& run, const Batch& batch, const std::string& what, int64_t epoch, int64_t batchIndex, TrainingResult& result)
{
    if (run.statistics)
        run.statistics->stop();
    result.reason = StopReason::NonFiniteLoss;
    std::string found;
    if (batch.size() > 0) {
        try {
            DiagnosisOptions diagnosis;
            diagnosis.device = run.device;
            diagnosis.precision = run.precision;
            diagnosis.channelsLast = settings_.channelsLast;
            diagnosis.names = options_.blockNames;
            result.nonFinite = diagnoseNonFinite(*model_, *run.loss, batch.inputs, batch.targets, diagnosis);
        } catch (const std::exception& error) {
            found = " (running the batch again with checks failed: " + std::string(error.what()) + ")";
        }
        if (result.nonFinite)
            found = ": " + result.nonFinite->message();
        else if (found.empty())
            found = " (running the batch again with checks after each block found every value finite)";
    }
    std::string headline = what;
    if (result.nonFinite && result.nonFinite->phase == "backward" && what.rfind("a gradient", 0) == 0)
        headline = "a gradient became " + result.nonFinite->value;
    result.message = headline + " at epoch " + std::to_string(epoch + 1) + ", batch " + std::to_string(batchIndex)
        + found + "; lower the learning rate or turn on gradient clipping";
}

void Trainer::finishEpoch(Run& run, int64_t epoch, TrainingResult& result)
{
    const Clock::time_point start = Clock::now();
    EpochReport report;
    report.epoch = epoch + 1;
    report.epochs = settings_.epochs;
    report.train = run.epochTrain;
    report.learningRate = learningRateOf(*run.optimizer, run.learningRateScales);
    if (data_.validation.size() > 0) {
        MetricAccumulator::Options metrics { settings_.topFiveAccuracy, false };
        report.validation = evaluateModel(model_, data_.validation, *run.loss, run.evaluationLoading, metrics);
    }
    report.improved = run.tracker->record(epoch, run.tracker->monitoredValue(report.train, report.validation));
    if (report.improved && settings_.keepBest)
        run.bestWeights = cloneState(*model_);
    report.statistics = averageStatistics(run.epochStatistics);
    report.warnings = deadReluWarnings(report.statistics, epoch + 1);
    run.epochStatistics.clear();
    run.progress.epoch = epoch + 1;
    run.progress.batchInEpoch = 0;
    run.tracker->saveTo(run.progress);
    writeCheckpoint(run, result);
    report.seconds = run.epochSeconds + secondsSince(start);

    result.epochsCompleted = epoch + 1;
    result.bestEpoch = run.tracker->bestEpoch() + 1;
    result.lastTrain = report.train;
    result.lastValidation = report.validation;
    if (observer_.onEpoch)
        observer_.onEpoch(report);
}

void Trainer::finish(Run& run, TrainingResult& result)
{
    if (settings_.keepBest && !run.bestWeights.empty())
        loadModuleState(*model_, run.bestWeights, "the best epoch's weights");
    const bool usable = result.reason != StopReason::NonFiniteLoss || !run.bestWeights.empty();
    if ((result.reason == StopReason::Completed || result.reason == StopReason::EarlyStopping)
        && data_.test.size() > 0 && (!options_.distributed || options_.distributed->isMain())) {
        MetricAccumulator::Options metrics { settings_.topFiveAccuracy, true };
        result.test = evaluateModel(model_, data_.test, *run.loss, run.evaluationLoading, metrics);
    }
    if (writesFiles() && usable) {
        const std::string path = (std::filesystem::path(options_.outputDirectory) / weightsFileName).string();
        saveWeights(path, *model_, options_.graphHash);
        result.weightsPath = path;
    }
}

bool Trainer::writesFiles() const
{
    return !options_.outputDirectory.empty() && (!options_.distributed || options_.distributed->isMain());
}

void Trainer::writeCheckpoint(Run& run, TrainingResult& result)
{
    if (!writesFiles())
        return;
    CheckpointContents contents;
    contents.model = model_.get();
    contents.optimizer = run.optimizer.get();
    contents.optimizerName = settings_.optimizer;
    contents.scheduleName = settings_.schedule;
    contents.progress = run.progress;
    contents.graphHash = options_.graphHash;
    contents.settingsJson = settingsToJson(settings_).dump();
    contents.rngState = at::detail::getDefaultCPUGenerator().get_state();
    contents.bestWeights = run.bestWeights;
    const std::string path = (std::filesystem::path(options_.outputDirectory) / checkpointFileName).string();
    saveCheckpoint(path, contents);
    result.checkpointPath = path;
    if (observer_.onCheckpoint)
        observer_.onCheckpoint(path);
}

} // namespace netdraft::engine
