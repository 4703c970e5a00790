#include "engine/layers/MergeLayer.h"

#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {

namespace {

std::vector<ParamSpec> mergeParams(std::vector<ParamSpec> extra)
{
    std::vector<ParamSpec> params {
        ParamSpec::integer("num_inputs", 2).min(2).max(64).help("Number of input ports (in1, in2, ...).")
    };
    params.insert(params.end(), extra.begin(), extra.end());
    return params;
}

} // namespace

MergeLayer::MergeLayer(std::string type, std::string help, std::vector<ParamSpec> extraParams)
    : LayerType({ type, type, category::kMerge, std::move(help), mergeParams(std::move(extraParams)), {}, true })
{
}

void MergeLayer::inferShape(InferenceContext& context) const
{
    const Shape& first = context.input(0);
    if (broadcasts()) {
        std::vector<int64_t> dims = first.dims();
        for (size_t i = 1; i < context.inputs().size(); ++i) {
            const Shape& other = context.input(i);
            bool fits = other.rank() == first.rank();
            for (int64_t d = 0; fits && d < other.rank(); ++d) {
                const int64_t size = other[d];
                auto& merged = dims[static_cast<size_t>(d)];
                if (size == merged || size == 1)
                    continue;
                if (merged == 1)
                    merged = size;
                else
                    fits = false;
            }
            if (!fits) {
                context.error(type() + " needs inputs whose sizes are equal or 1 (stretched to the other's): in1 is "
                    + first.toString() + " but in" + std::to_string(i + 1) + " is " + other.toString());
                return;
            }
        }
        context.setOutput(Shape(dims));
        return;
    }
    bool equal = true;
    for (size_t i = 1; i < context.inputs().size(); ++i)
        if (context.input(i) != first) {
            context.error(type() + " needs inputs of equal shape: in1 is " + first.toString() + " but in"
                + std::to_string(i + 1) + " is " + context.input(i).toString());
            equal = false;
        }
    if (equal)
        context.setOutput(first);
}

BuiltBlock MergeLayer::build(const BuildContext& context) const
{
    // The parameters are copied: the reader refers to the inference result, which may not outlive the model.
    const ParamMap values = context.params.values();
    return { nullptr, [this, values](const std::vector<torch::Tensor>& in) {
                return combine(in, ParamReader(description(), values));
            } };
}

std::optional<PythonCode> MergeLayer::pythonCode(
    const BuildContext& context, const std::string& attribute, const std::vector<std::string>& inputs) const
{
    (void)attribute;
    return PythonCode { {}, expression(inputs, context.params) };
}

std::optional<std::string> MergeLayer::torchScriptBody(const BuildContext& context) const
{
    std::vector<std::string> operands;
    for (size_t i = 0; i < description().inputPorts(context.params.values()).size(); ++i)
        operands.push_back("x" + std::to_string(i));
    return "return " + expression(operands, context.params);
}

} // namespace netdraft::engine
