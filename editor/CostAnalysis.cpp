#include "editor/CostAnalysis.h"

#include "engine/core/Error.h"
#include "engine/graph/CompositeExpansion.h"
#include "engine/insight/ParameterCounter.h"
#include "engine/network/CompiledNetwork.h"
#include "engine/train/GraphFingerprint.h"

#include <QCoreApplication>

#include <cmath>
#include <limits>
#include <optional>
#include <utility>

namespace netdraft::editor {

struct MeasuredProfile {
    engine::NetworkProfile profile;
    std::string key; ///< profileKey() of the project measured
};

namespace {

/// What a block's time depends on: the graph as it computes (not names or positions), the batch size
/// and the device. Throws Error for a graph whose composites do not expand.
std::string profileKey(const engine::Project& project)
{
    return engine::graphFingerprint(project.graph) + "|" + std::to_string(project.training.batchSize) + "|"
        + project.training.device;
}

void addTime(CanvasBlockCost& figures, const engine::BlockTiming& timing)
{
    figures.timed = true;
    figures.forwardMs += timing.forwardMs;
    figures.backwardMs += timing.backwardMs;
}

QString costText(const char* text)
{
    return QCoreApplication::translate("CostAnalysis", text);
}

/// The first instance of composite `scope`: the project's graph first, then level by level inside the
/// definitions. Its expanded ids' prefix ("enc1__", "block2__ir__") and its path ("block2/ir").
std::optional<std::pair<std::string, std::string>> firstInstance(const engine::Graph& project, const std::string& scope)
{
    struct Level {
        const std::vector<engine::Block>* blocks;
        std::string prefix;
        std::string path;
    };
    std::vector<Level> levels { { &project.blocks(), "", "" } };
    for (int depth = 0; depth < 16 && !levels.empty(); ++depth) { // a composite inside itself is an error
        std::vector<Level> inner;
        for (const Level& level : levels)
            for (const engine::Block& block : *level.blocks) {
                const engine::CompositeDefinition* definition = project.findComposite(block.type);
                if (!definition)
                    continue;
                std::string prefix = level.prefix + block.id + engine::kCompositeIdSeparator;
                std::string path = level.path.empty() ? block.id : level.path + "/" + block.id;
                if (block.type == scope)
                    return std::make_pair(std::move(prefix), std::move(path));
                inner.push_back({ &definition->blocks, std::move(prefix), std::move(path) });
            }
        levels = std::move(inner);
    }
    return std::nullopt;
}

/// report.scopeBlocks: each block of the open composite `scope` as counted in its first instance.
void countScope(
    const engine::Graph& project, const std::string& scope, const engine::NetworkProfile* profile, CostReport& report)
{
    report.scope = scope;
    const auto instance = firstInstance(project, scope);
    if (!instance)
        return;
    const std::string prefix = instance->first;
    report.scopeInstance = instance->second;
    const std::string separator = engine::kCompositeIdSeparator;
    // "enc1__res1__conv" → the open composite's block "res1", and "res1/conv" inside it.
    auto innerBlockOf = [&](const std::string& id) -> std::optional<std::pair<std::string, std::string>> {
        if (id.rfind(prefix, 0) != 0)
            return std::nullopt;
        std::string rest = id.substr(prefix.size());
        const size_t end = rest.find(separator);
        std::string block = rest.substr(0, end);
        for (size_t at = rest.find(separator); at != std::string::npos; at = rest.find(separator, at + 1))
            rest.replace(at, separator.size(), "/");
        return std::make_pair(std::move(block), std::move(rest));
    };
    for (const engine::BlockCost& block : report.cost.blocks)
        if (const auto inner = innerBlockOf(block.id)) {
            CanvasBlockCost& figures = report.scopeBlocks[inner->first];
            figures.parameters += block.parameters();
            figures.multiplyAccumulates += block.multiplyAccumulates;
            figures.activationBytes += block.activationBytes;
            if (const engine::BlockTiming* timing = profile ? profile->find(block.id) : nullptr)
                addTime(figures, *timing);
        }
    for (const engine::Problem& warning : report.cost.warnings)
        if (const auto inner = innerBlockOf(warning.blockId)) {
            const engine::Block* block = nullptr;
            if (const engine::CompositeDefinition* definition = project.findComposite(scope))
                for (const engine::Block& candidate : definition->blocks)
                    if (candidate.id == inner->first)
                        block = &candidate;
            report.scopeBlocks[inner->first].warnings.push_back(inner->first == inner->second || !block
                    ? warning.message
                    : "inside " + block->type + ", block " + inner->second.substr(inner->first.size() + 1) + ": "
                        + warning.message);
        }
}

/// Compiles and counts `project`, and the open composite `scope`'s blocks, with the times of `measured`
/// when it was measured on this project; runs on the worker thread.
CostReport countProject(const engine::Project& project, const std::string& scope, engine::ParameterCounter& counter,
    const MeasuredProfile* measured)
{
    CostReport report;
    try {
        const engine::CompiledNetwork network = engine::CompiledNetwork::compile(project);
        const engine::NetworkProfile* profile = nullptr;
        if (measured) {
            report.profile = measured->key == profileKey(project) ? ProfileState::Current : ProfileState::Stale;
            if (report.profile == ProfileState::Current) {
                profile = &measured->profile;
                report.profiledMs = profile->blocksForwardMs() + profile->blocksBackwardMs();
                report.profiledBatchSize = profile->batchSize;
                report.profiledDevice = profile->device;
            }
        }
        report.cost
            = engine::costOf(network, counter.countsOf(network), engine::CostOptions::fromSettings(project.training));
        for (const engine::BlockCost& block : report.cost.blocks) {
            const auto origin = network.origins().find(block.id);
            const std::string& canvas = origin == network.origins().end() ? block.id : origin->second.instance;
            report.canvasBlockOf[block.id] = canvas;
            CanvasBlockCost& figures = report.canvasBlocks[canvas];
            figures.parameters += block.parameters();
            figures.multiplyAccumulates += block.multiplyAccumulates;
            figures.activationBytes += block.activationBytes;
            if (const engine::BlockTiming* timing = profile ? profile->find(block.id) : nullptr)
                addTime(figures, *timing);
        }
        for (const engine::Problem& warning : report.cost.warnings) {
            const auto origin = network.origins().find(warning.blockId);
            if (origin == network.origins().end()) {
                report.canvasBlocks[warning.blockId].warnings.push_back(warning.message);
                continue;
            }
            const std::string& instance = origin->second.instance;
            report.canvasBlocks[instance].warnings.push_back("inside " + project.graph.block(instance).type + ", block "
                + origin->second.innerPath + ": " + warning.message);
        }
        if (!scope.empty())
            countScope(project.graph, scope, profile, report);
    } catch (const engine::Error& error) {
        report.problem = error.what();
        return report;
    }
    try {
        report.device = engine::deviceMemory(project.training.device);
    } catch (const engine::Error& error) {
        report.device.device = project.training.device;
        report.deviceProblem = error.what();
    }
    return report;
}

} // namespace

int64_t metricValue(const CanvasBlockCost& block, CostMetric metric)
{
    switch (metric) {
    case CostMetric::MultiplyAccumulates:
        return block.multiplyAccumulates;
    case CostMetric::Parameters:
        return block.parameters;
    case CostMetric::Memory:
        return block.activationBytes;
    case CostMetric::Time:
        return block.timed ? std::llround(block.timeMs() * 1000) : 0;
    }
    return 0;
}

QString metricName(CostMetric metric)
{
    switch (metric) {
    case CostMetric::MultiplyAccumulates:
        return costText("MACs");
    case CostMetric::Parameters:
        return costText("Parameters");
    case CostMetric::Memory:
        return costText("Activation memory");
    case CostMetric::Time:
        return costText("Time");
    }
    return {};
}

QString formatMetric(int64_t value, CostMetric metric)
{
    if (metric == CostMetric::Time)
        return costText("%1 ms").arg(double(value) / 1000, 0, 'f', 3);
    return QString::fromStdString(
        metric == CostMetric::Memory ? engine::formatBytes(value) : engine::formatCount(value));
}

QString memoryFitText(const CostReport& report)
{
    if (!report.counted())
        return costText("Training memory: no estimate until the design has no errors");
    const engine::TrainingMemory& memory = report.cost.memory;
    const engine::CostOptions& options = report.cost.options;
    QString text = costText("Training memory at batch size %1 (%2, %3): %4")
                       .arg(memory.batchSize)
                       .arg(QString::fromStdString(options.optimizer),
                           options.activationBytesPerValue == 4 ? QStringLiteral("fp32") : QStringLiteral("16-bit"),
                           QString::fromStdString(engine::formatBytes(memory.totalBytes())));
    if (report.device.capacityBytes <= 0)
        return text + costText(" — %1").arg(QString::fromStdString(report.deviceProblem));
    const int64_t capacity = report.device.capacityBytes;
    text += (memory.fitsIn(capacity) ? costText(" — fits in %1 of %2") : costText(" — does not fit in %1 of %2"))
                .arg(QString::fromStdString(engine::formatBytes(capacity)),
                    QString::fromStdString(report.device.device));
    const int64_t largest = memory.largestBatchSize(capacity);
    if (largest == 0)
        text += costText("; not even one sample fits");
    else if (largest != std::numeric_limits<int64_t>::max())
        text += costText("; the largest batch size that fits is %1").arg(largest);
    return text;
}

QString parameterTotalText(const CostReport& report)
{
    if (!report.counted())
        return costText("Parameters: –");
    return costText("Parameters: %1").arg(formatMetric(report.cost.totalParameters(), CostMetric::Parameters));
}

QString parameterTotalToolTip(const CostReport& report)
{
    if (!report.counted())
        return costText("No parameter count until the design has no errors");
    return costText("%1 parameters: %2 trainable, %3 frozen")
        .arg(report.cost.totalParameters())
        .arg(report.cost.trainableParameters())
        .arg(report.cost.frozenParameters());
}

CostAnalysis::CostAnalysis(GraphDocument& document, QObject* parent)
    : QObject(parent)
    , document_(document)
    , counter_(std::make_shared<engine::ParameterCounter>())
    , runner_(
          std::make_unique<LatestJobRunner<CostReport>>("cost count", [this](uint64_t generation, CostReport report) {
              if (generation != generation_)
                  return; // a later change is being counted
              report_ = std::move(report);
              pending_ = false;
              Q_EMIT updated();
          }))
{
    connect(&document_, &GraphDocument::inferenceUpdated, this, &CostAnalysis::recount);
    connect(&document_, &GraphDocument::projectReset, this, &CostAnalysis::recount);
    connect(&document_, &GraphDocument::settingChanged, this, [this](SettingSection section) {
        if (section == SettingSection::Training) // batch size, precision, optimizer, device
            recount();
    });
    recount();
}

CostAnalysis::~CostAnalysis() = default;

void CostAnalysis::recount()
{
    pending_ = true;
    runner_->submit(++generation_,
        [project = document_.project(), scope = document_.scope().toStdString(), counter = counter_,
            profile = profile_] { return countProject(project, scope, *counter, profile.get()); });
}

void CostAnalysis::setProfile(const engine::NetworkProfile& profile, const engine::Project& measured)
{
    try {
        profile_ = std::make_shared<const MeasuredProfile>(MeasuredProfile { profile, profileKey(measured) });
    } catch (const engine::Error&) {
        profile_.reset(); // it compiled for the profile, so this does not happen
    }
    recount();
}

const CanvasBlockCost* CostAnalysis::blockCost(const QString& id) const
{
    if (!report_.counted() || report_.scope != document_.scope().toStdString())
        return nullptr; // another composite was opened: its count follows
    const std::map<std::string, CanvasBlockCost>& blocks
        = report_.scope.empty() ? report_.canvasBlocks : report_.scopeBlocks;
    const auto found = blocks.find(id.toStdString());
    return found == blocks.end() ? nullptr : &found->second;
}

} // namespace netdraft::editor
