#include "engine/export/PythonFineTuning.h"

#include "engine/export/PythonModelExport.h"
#include "engine/train/FineTuning.h"
#include "engine/train/LearningRateScales.h"

#include <nlohmann/json.hpp>

#include <sstream>

namespace netdraft::engine {

namespace {

/// Whether model.py gives `step` a module attribute (blocks like ReLU are plain function calls there,
/// with nothing to freeze or put in eval mode).
bool hasPythonModule(const NetworkStep& step)
{
    const std::vector<std::string> inputs(step.inputSteps.size(), "x");
    const std::optional<PythonCode> code = step.type->pythonCode(step.buildContext(), step.id(), inputs);
    return code && !code->constructor.empty();
}

/// The shortest Python literal that reads back as `value` (0.1, not 0.10000000000000001).
std::string pythonNumber(double value)
{
    return nlohmann::json(value).dump();
}

/// `items` between `open` and `close`, on one line when short, else one item a line (a long list of
/// blocks inside composites stays readable).
std::string pythonCollection(const std::vector<std::string>& items, const char* open, const char* close)
{
    std::string line;
    for (size_t i = 0; i < items.size(); ++i)
        line += (i ? ", " : "") + items[i];
    if (line.size() <= 80)
        return open + line + close;
    std::string lines = open + std::string("\n");
    for (const std::string& item : items)
        lines += "    " + item + ",\n";
    return lines + close;
}

const char* const kFreezeFunctions = R"PY(

def freeze_blocks(model):
    """Frozen blocks get no gradient, so they are not given to the optimizer either."""
    for name in FROZEN_BLOCKS:
        getattr(model, name).requires_grad_(False)
    if not any(parameter.requires_grad for parameter in model.parameters()):
        raise SystemExit("training: every block with weights is frozen; nothing would train (unfreeze a block)")
)PY";

const char* const kEvalFunction = R"PY(

def keep_frozen_blocks_in_eval(model):
    """After model.train(): frozen blocks run in eval mode (frozen_batch_norm "eval"), so their batch-norm
    statistics stay and their dropout is off; they compute what they computed before."""
    for name in FROZEN_BLOCKS:
        getattr(model, name).eval()
)PY";

const char* const kGroupsFunction = R"PY(

def parameter_groups(model, s):
    """The trainable parameters in one optimizer group per learning-rate factor, lr = learning rate x factor,
    grouped as Netdraft groups them: factor 1 first, the others in the order of their first parameter.
    The schedule multiplies each group's initial lr, so every group keeps its factor."""
    groups = {1.0: []}
    for name, parameter in model.named_parameters():
        if parameter.requires_grad:
            groups.setdefault(LEARNING_RATE_SCALES.get(name.split(".")[0], 1.0), []).append(parameter)
    return [{"params": parameters, "lr": s["learning_rate"] * scale}
            for scale, parameters in groups.items() if parameters]
)PY";

} // namespace

PythonFineTuning pythonFineTuning(const CompiledNetwork& network, const TrainingSettings& settings)
{
    const std::set<std::string> frozen = frozenBlockIds(network);
    const std::map<std::string, double> scales = learningRateScales(network);
    PythonFineTuning fineTuning;
    for (const NetworkStep& step : network.steps()) {
        if (!hasPythonModule(step))
            continue;
        if (frozen.count(step.id()))
            fineTuning.frozenBlocks.push_back(step.id());
        else if (const auto scale = scales.find(step.id()); scale != scales.end())
            fineTuning.learningRateScales.emplace_back(step.id(), scale->second);
    }
    fineTuning.frozenBlocksInEval = !fineTuning.frozenBlocks.empty() && !evalModeBlockIds(network, settings).empty();
    return fineTuning;
}

std::string pythonFineTuningDefinitions(const PythonFineTuning& fineTuning)
{
    std::ostringstream out;
    if (!fineTuning.frozenBlocks.empty()) {
        std::vector<std::string> names;
        for (const std::string& block : fineTuning.frozenBlocks)
            names.push_back(pythonStringLiteral(block));
        out << "\n# Frozen in Netdraft (fine-tuning): their weights"
            << (fineTuning.frozenBlocksInEval ? " and batch-norm statistics" : "") << " stay as they are.\n"
            << "FROZEN_BLOCKS = " << pythonCollection(names, "[", "]") << "\n";
    }
    if (!fineTuning.learningRateScales.empty()) {
        std::vector<std::string> entries;
        for (const auto& [block, scale] : fineTuning.learningRateScales)
            entries.push_back(pythonStringLiteral(block) + ": " + pythonNumber(scale));
        out << "\n# Blocks that learn at the learning rate times a factor (Netdraft's learning_rate_scale).\n"
            << "LEARNING_RATE_SCALES = " << pythonCollection(entries, "{", "}") << "\n";
    }
    if (!fineTuning.frozenBlocks.empty())
        out << kFreezeFunctions << (fineTuning.frozenBlocksInEval ? kEvalFunction : "");
    if (!fineTuning.learningRateScales.empty())
        out << kGroupsFunction;
    return out.str();
}

} // namespace netdraft::engine
