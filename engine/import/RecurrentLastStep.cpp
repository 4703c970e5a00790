#include "engine/import/RecurrentLastStep.h"

#include "engine/core/Error.h"

#include <variant>

namespace netdraft::engine {

namespace {

int64_t lastStepInteger(const ImportedOp& op, const char* name, int64_t fallback)
{
    auto found = op.params.find(name);
    if (found == op.params.end())
        return fallback;
    const int64_t* value = std::get_if<int64_t>(&found->second);
    return value ? *value : fallback;
}

bool lastStepFlag(const ImportedOp& op, const char* name, bool fallback)
{
    auto found = op.params.find(name);
    if (found == op.params.end())
        return fallback;
    const bool* value = std::get_if<bool>(&found->second);
    return value ? *value : fallback;
}

/// Whether recurrent op `op` still gives its whole sequence (the layer's default).
bool givesWholeSequence(const ImportedOp& op)
{
    auto found = op.params.find("output");
    return found == op.params.end() || found->second == ParamValue(std::string("sequence"));
}

/// Removes op `removed`, whose readers read op `replacement` instead; later ops move down one place.
void removeFoldedSelect(ImportedNetwork& network, int removed, int replacement)
{
    network.ops.erase(network.ops.begin() + removed);
    auto renumbered = [&](int index) { return index == removed ? replacement : index > removed ? index - 1 : index; };
    for (ImportedOp& op : network.ops)
        for (int& input : op.inputs)
            input = renumbered(input);
    network.outputOp = renumbered(network.outputOp);
}

} // namespace

bool isLastTimeStep(int64_t index, int64_t steps)
{
    return index == -1 || (steps > 0 && index == steps - 1);
}

bool isRecurrentOp(const ImportedOp& op)
{
    return op.layerType == "LSTM" || op.layerType == "GRU" || op.layerType == "RNN";
}

int64_t timeDimensionOf(const ImportedOp& op)
{
    return lastStepFlag(op, "batch_first", true) ? 1 : 0;
}

void foldLastTimeSteps(ImportedNetwork& network, const std::string& sourceName)
{
    for (int index = 0; index < static_cast<int>(network.ops.size()); ++index) {
        const ImportedOp& select = network.ops[static_cast<size_t>(index)];
        if (select.layerType != "Select" || select.inputs.size() != 1 || select.inputs.front() < 0)
            continue;
        const int recurrent = select.inputs.front();
        ImportedOp& source = network.ops[static_cast<size_t>(recurrent)];
        const int64_t dim = lastStepInteger(select, "dim", 0);
        if (!isRecurrentOp(source) || !givesWholeSequence(source) || dim != timeDimensionOf(source))
            continue;
        int readers = network.outputOp == recurrent ? 1 : 0;
        for (const ImportedOp& op : network.ops)
            for (int input : op.inputs)
                readers += input == recurrent ? 1 : 0;
        const bool folds = readers == 1 && lastStepInteger(select, "index", 0) == -1;
        ND_CHECK(folds || dim != 0, sourceName, ": a time step of the time-first ", source.layerType,
            source.modulePath.empty() ? std::string() : " " + source.modulePath,
            " has a block only as the last step read by nothing else (its output 'last'); ",
            readers == 1 ? "this one is step " + std::to_string(lastStepInteger(select, "index", 0))
                         : "its sequence is read " + std::to_string(readers) + " times");
        if (!folds)
            continue;
        source.params["output"] = std::string("last");
        removeFoldedSelect(network, index, recurrent);
        --index;
    }
}

} // namespace netdraft::engine
