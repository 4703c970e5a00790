#include "engine/layers/PositionTableLayer.h"

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

/// Holds the table under its name, as a parameter (learned) or a buffer (fixed).
struct PositionTableModule : torch::nn::Module {
    PositionTableModule(const std::string& name, torch::Tensor values, bool learned)
    {
        table = learned ? register_parameter(name, std::move(values)) : register_buffer(name, std::move(values));
    }
    torch::Tensor table;
};

} // namespace

PositionTableLayer::PositionTableLayer(
    const char* type, const char* displayName, const char* summary, const char* maxLenHelp, Table table)
    : LayerType({ type, displayName, category::kEmbedding, summary,
        { ParamSpec::inferredInteger("d_model").help("Features per position; inferred from the input unless pinned."),
            ParamSpec::integer("max_len", 512).min(1).onBlock().help(maxLenHelp) } })
    , table_(std::move(table))
{
}

void PositionTableLayer::inferShape(InferenceContext& context) const
{
    if (!context.requireRank(0, 3, "N×T×d_model"))
        return;
    const Shape& input = context.input();
    context.inferFromInput("d_model", input[2], "features per position",
        "set d_model to " + std::to_string(input[2]) + " or to auto");
    const int64_t maxLen = context.params().integer("max_len");
    if (input[1] > maxLen)
        context.error(type() + ": the sequence has " + std::to_string(input[1]) + " positions but max_len is "
            + std::to_string(maxLen) + "; raise max_len to at least " + std::to_string(input[1]));
    context.setOutput(input);
}

BuiltBlock PositionTableLayer::build(const BuildContext& context) const
{
    const int64_t maxLen = context.params.integer("max_len");
    const int64_t dModel = context.params.integer("d_model");
    auto module = std::make_shared<PositionTableModule>(table_.name, initialTable(maxLen, dModel), table_.learned);
    return { module, [module](const std::vector<torch::Tensor>& in) {
                return in[0] + module->table.slice(0, 0, in[0].size(1));
            } };
}

std::optional<PythonCode> PositionTableLayer::pythonCode(
    const BuildContext& context, const std::string& attribute, const std::vector<std::string>& inputs) const
{
    return PythonCode { type() + "(" + std::to_string(context.params.integer("d_model")) + ", "
            + std::to_string(context.params.integer("max_len")) + ")",
        "self." + attribute + "(" + python::firstInput(inputs) + ")", table_.pythonClass };
}

std::optional<std::string> PositionTableLayer::torchScriptBody(const BuildContext& context) const
{
    return "return x0 + self." + table_.name + "[0:" + std::to_string(context.inputs.at(0)[1]) + "]";
}

} // namespace netdraft::engine
