#include "engine/train/TrainingSession.h"

#include "engine/data/TextTokens.h"
#include "engine/distributed/DistributedContext.h"
#include "engine/io/AtomicFile.h"
#include "engine/train/AvailableDevices.h"
#include "engine/train/FineTuning.h"
#include "engine/train/GraphFingerprint.h"
#include "engine/train/LearningRateScales.h"
#include "engine/train/RunControl.h"
#include "engine/train/TextSampling.h"
#include "engine/train/Trainer.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>
#include <tuple>

namespace netdraft::engine {

namespace {

SessionBatch toSession(const BatchReport& report)
{
    return { report.epoch, report.epochs, report.batch, report.batchesPerEpoch, report.step, report.loss,
        report.accuracy, report.samplesPerSecond, report.learningRate };
}

SessionEpoch toSession(const EpochReport& report)
{
    SessionEpoch epoch;
    epoch.epoch = report.epoch;
    epoch.epochs = report.epochs;
    epoch.trainLoss = report.train.loss;
    epoch.trainAccuracy = report.train.accuracy;
    epoch.trainTopFiveAccuracy = report.train.topFiveAccuracy;
    if (report.validation) {
        epoch.validationLoss = report.validation->loss;
        epoch.validationAccuracy = report.validation->accuracy;
        epoch.validationTopFiveAccuracy = report.validation->topFiveAccuracy;
        epoch.validationMeanAbsoluteError = report.validation->meanAbsoluteError;
        epoch.validationRootMeanSquaredError = report.validation->rootMeanSquaredError;
    }
    epoch.learningRate = report.learningRate;
    epoch.seconds = report.seconds;
    epoch.improved = report.improved;
    epoch.statistics = report.statistics;
    epoch.warnings = report.warnings;
    return epoch;
}

SessionOutcome toSession(const TrainingResult& result, const InMemoryDataset& data)
{
    SessionOutcome outcome;
    outcome.stopReason = toString(result.reason);
    outcome.message = result.message;
    outcome.epochsCompleted = result.epochsCompleted;
    outcome.bestEpoch = result.bestEpoch;
    if (result.test) {
        outcome.testLoss = result.test->loss;
        outcome.testAccuracy = result.test->accuracy;
        outcome.testTopFiveAccuracy = result.test->topFiveAccuracy;
        outcome.testMeanAbsoluteError = result.test->meanAbsoluteError;
        outcome.testRootMeanSquaredError = result.test->rootMeanSquaredError;
        outcome.testSamples = result.test->samples;
        outcome.confusionMatrix = result.test->confusionMatrix;
        outcome.perClassAccuracy = result.test->perClassAccuracy;
    }
    outcome.classNames = data.classNames;
    outcome.vocabulary = data.vocabulary;
    outcome.checkpointPath = result.checkpointPath;
    outcome.weightsPath = result.weightsPath;
    if (result.nonFinite)
        outcome.nonFiniteBlockId = result.nonFinite->canvasBlockId;
    outcome.nonFinite = result.nonFinite;
    return outcome;
}

/// "Device: cpu, precision bf16, channels-last; bf16 fast mode available (...)".
std::string deviceLine(const TrainingSettings& settings)
{
    std::string line = "Device: " + settings.device + ", precision " + settings.precision
        + (settings.channelsLast ? ", channels-last" : "");
    if (settings.device.find("cpu") != std::string::npos) {
        line += "; " + cpuFastMode().description;
        if (cpuFastMode().supported && settings.precision == "fp32")
            line += " (set precision to bf16 to use it)";
    }
    if (settings.device.find("cuda") != std::string::npos)
        line += "; " + cudaSummary();
    return line;
}

bool isWords(const DatasetSpec& dataset)
{
    return textUnitNamed(dataset.textUnit) == TextUnit::Words;
}

/// vocabulary.json in the run's folder: the token of each id, to read the model's outputs back as text.
void writeVocabulary(const std::string& directory, const DatasetSpec& dataset, const InMemoryDataset& data)
{
    nlohmann::ordered_json json;
    json["text_unit"] = isWords(dataset) ? "words" : "characters";
    json["tokens"] = data.vocabulary;
    std::filesystem::create_directories(directory);
    writeFileAtomically((std::filesystem::path(directory) / "vocabulary.json").string(), json.dump(2) + "\n");
}

/// Where the prompts come from: the test part, else the validation or training part; and its name.
std::pair<InMemoryDataset, std::string> promptSource(const PreparedData& data)
{
    if (data.test.size() > 0)
        return { data.test, "test" };
    if (data.validation.size() > 0)
        return { data.validation, "validation" };
    return { data.train, "training" };
}

/// "Learning rate x0.1 for fc1, fc2; x0.5 for head": the blocks with weights that train at a factor of
/// the run's rate (the plots show the run's rate only); empty when there are none.
std::string learningRateScaleNote(const CompiledNetwork& network, const GraphModelImpl& model)
{
    const std::set<std::string> frozen = frozenBlockIds(network);
    std::map<double, std::string> blocksByScale;
    for (const auto& [id, scale] : learningRateScales(network)) {
        const auto count = model.parameterCounts().find(id);
        if (count == model.parameterCounts().end() || count->second == 0 || frozen.count(id))
            continue;
        std::string& blocks = blocksByScale[scale];
        blocks += (blocks.empty() ? "" : ", ") + id;
    }
    std::string note;
    for (const auto& [scale, blocks] : blocksByScale) {
        std::ostringstream factor;
        factor << scale;
        note += (note.empty() ? "Learning rate x" : "; x") + factor.str() + " for " + blocks;
    }
    return note;
}

} // namespace

TrainingSession::TrainingSession(Project snapshot, std::string projectDirectory, std::string outputDirectory)
    : project_(std::move(snapshot))
    , projectDirectory_(std::move(projectDirectory))
    , outputDirectory_(std::move(outputDirectory))
    , graphHash_(graphFingerprint(project_.graph))
    , control_(std::make_shared<RunControl>())
{
}

TrainingSession::~TrainingSession() = default;

void TrainingSession::requestStop()
{
    control_->requestStop();
}

void TrainingSession::requestStopFromSignal()
{
    control_->requestStopFromSignal();
}

void TrainingSession::pause()
{
    control_->pause();
}

void TrainingSession::resume()
{
    control_->resume();
}

void TrainingSession::start()
{
    std::unique_ptr<Trainer> trainer;
    InMemoryDataset prompts; // shares the tensors of the part the sampled text starts from
    std::string promptsPart;
    try {
        if (callbacks_.onLog)
            callbacks_.onLog("Preparing the " + project_.dataset.kind + " dataset");
        const CompiledNetwork network = CompiledNetwork::compile(project_);
        PreparedData data = prepareData(project_.dataset, projectDirectory_, expectedData(network));
        std::tie(prompts, promptsPart) = promptSource(data);
        if (!data.train.vocabulary.empty() && !outputDirectory_.empty() && (!distributed_ || distributed_->isMain()))
            writeVocabulary(outputDirectory_, project_.dataset, data.train);
        if (callbacks_.onLog)
            callbacks_.onLog(data.train.description + ": " + std::to_string(data.train.size()) + " training, "
                + std::to_string(data.validation.size()) + " validation, " + std::to_string(data.test.size())
                + " test samples");
        if (callbacks_.onLog)
            callbacks_.onLog(deviceLine(project_.training));
        TrainerOptions options;
        options.outputDirectory = outputDirectory_;
        options.resumeFrom = resumeFrom_;
        options.reportEveryBatches = reportEveryBatches_;
        options.control = control_;
        options.distributed = distributed_;
        options.initialWeights = resolveProjectFile(projectDirectory_, project_.initialWeights);
        trainer = Trainer::forProject(project_, network, std::move(data), options);
        if (callbacks_.onLog && !trainer->startingWeightsNote().empty())
            callbacks_.onLog(trainer->startingWeightsNote());
        if (callbacks_.onLog) {
            const GraphModel model = trainer->model();
            const ParameterSplit split = parameterSplit(*model, network);
            size_t frozenBlocks = 0; // those with weights: a frozen ReLU changes nothing
            for (const std::string& id : frozenBlockIds(network))
                if (auto count = model->parameterCounts().find(id); count != model->parameterCounts().end())
                    frozenBlocks += count->second > 0 ? 1 : 0;
            callbacks_.onLog("Parameters: " + std::to_string(split.trainable) + " trainable, "
                + std::to_string(split.frozen) + " frozen"
                + (frozenBlocks > 0 ? " (" + std::to_string(frozenBlocks) + " frozen blocks)" : std::string()));
            if (const std::string note = learningRateScaleNote(network, *model); !note.empty())
                callbacks_.onLog(note);
        }
    } catch (const std::exception& error) {
        if (callbacks_.onError)
            callbacks_.onError(error.what());
        return;
    }
    TrainingObserver observer;
    if (callbacks_.onBatch)
        observer.onBatch = [this](const BatchReport& report) { callbacks_.onBatch(toSession(report)); };
    if (callbacks_.onEpoch)
        observer.onEpoch = [this](const EpochReport& report) {
            if (callbacks_.onLog)
                for (const std::string& warning : report.warnings)
                    callbacks_.onLog("warning: " + warning);
            callbacks_.onEpoch(toSession(report));
        };
    if (callbacks_.onStatistics)
        observer.onStatistics = callbacks_.onStatistics;
    if (callbacks_.onFinished)
        observer.onFinished = [&](const TrainingResult& result) { callbacks_.onFinished(toSession(result, prompts)); };
    trainer->setObserver(std::move(observer));
    const TrainingResult result = trainer->run();
    if (result.reason != StopReason::Failed && result.reason != StopReason::NonFiniteLoss)
        logSampledText(*trainer->model(), prompts, promptsPart);
}

void TrainingSession::logSampledText(GraphModelImpl& model, const InMemoryDataset& prompts, const std::string& part)
{
    if (!callbacks_.onLog || textSampling_.samples <= 0 || !isNextTokenData(prompts) || prompts.size() == 0
        || (distributed_ && !distributed_->isMain()))
        return;
    try {
        TextSamplingOptions options = textSampling_;
        if (options.seed == 0)
            options.seed = static_cast<uint64_t>(project_.training.seed);
        const bool words = isWords(project_.dataset);
        const std::vector<SampledText> samples = sampleText(model, prompts, words, options);
        std::ostringstream heading;
        heading << "Sampled text (";
        if (options.temperature > 0)
            heading << "temperature " << options.temperature;
        else
            heading << "greedy";
        heading << ", " << options.tokens << (words ? " words" : " characters") << " after prompts from the " << part
                << " part):";
        callbacks_.onLog(heading.str());
        for (size_t i = 0; i < samples.size(); ++i)
            callbacks_.onLog("  " + sampleLine(i, samples[i]));
    } catch (const std::exception& error) {
        callbacks_.onLog(std::string("Sampled text: ") + error.what());
    }
}

} // namespace netdraft::engine
