// Slice: keeps the range start:end:step of one dimension, as x[:, start:end:step] does.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/DimensionParam.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

#include <algorithm>

namespace netdraft::engine {
namespace {

ParamSpec endParam()
{
    ParamSpec spec = ParamSpec::inferredInteger("end");
    spec.minimum.reset(); // negative ends count from the end, as in Python
    return spec.onBlock().help("Index after the last one kept (Auto: to the end); negative values count from the end.");
}

/// The range a slice keeps, with Python's rules: negative indices count from the end, out-of-range
/// indices are clamped.
struct Range {
    int64_t start = 0;
    int64_t end = 0;
    int64_t step = 1;
    int64_t count() const { return end > start ? (end - start + step - 1) / step : 0; }
};

class SliceLayer : public LayerType {
public:
    SliceLayer()
        : LayerType({ "Slice", "Slice", category::kReshape,
            "Keeps the indices start, start+step, ... before end of one dimension, as x[:, start:end:step] "
            "does, e.g. the first 8 time steps of a sequence or every second channel. Negative indices count "
            "from the end and indices past the end are clamped, as in Python.",
            { ParamSpec::integer("dim", 1).onBlock().help(
                  "Dimension to slice (1 or higher; the batch is 0); negative values count from the end."),
                ParamSpec::integer("start", 0).onBlock().help(
                    "First index kept; negative values count from the end."),
                endParam(), ParamSpec::integer("step", 1).min(1).help("Distance between the indices kept.") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        const auto dim = resolveDimension(context, "dim", false);
        if (!dim)
            return;
        const Shape& input = context.input();
        const int64_t size = input[*dim];
        if (context.params().isAuto("end"))
            context.setInferred("end", size);
        const int64_t end = context.params().isAuto("end") ? size : context.params().integer("end");
        const Range range = resolve(context.params().integer("start"), end, context.params().integer("step"), size);
        if (range.count() == 0) {
            context.error("start " + std::to_string(context.params().integer("start")) + " to end "
                + std::to_string(end) + " of dim " + std::to_string(*dim) + " (size " + std::to_string(size)
                + " in " + input.toString() + ") selects nothing");
            return;
        }
        std::vector<int64_t> dims = input.dims();
        dims[*dim] = range.count();
        context.setOutput(Shape(dims));
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const int64_t dim = resolvedDim(context);
        const Range range = resolve(context);
        return { nullptr,
            [dim, range](const std::vector<torch::Tensor>& in) { return in[0].slice(dim, range.start, range.end, range.step); } };
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        return PythonCode { {}, subscript(context, python::operand(python::firstInput(inputs))) };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        return "return " + subscript(context, "x0");
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const Range range = resolve(context);
        onnx.node("Slice",
            { onnx.inputs().at(0), onnx.ints("starts", { range.start }), onnx.ints("ends", { range.end }),
                onnx.ints("axes", { resolvedDim(context) }), onnx.ints("steps", { range.step }) },
            { onnx.output() });
        return true;
    }

private:
    static Range resolve(int64_t start, int64_t end, int64_t step, int64_t size)
    {
        auto clamp = [size](int64_t index) { return std::clamp<int64_t>(index < 0 ? index + size : index, 0, size); };
        return { clamp(start), clamp(end), step };
    }

    static int64_t resolvedDim(const BuildContext& context)
    {
        const int64_t dim = context.params.integer("dim");
        return dim < 0 ? dim + context.inputs.at(0).rank() : dim;
    }

    static Range resolve(const BuildContext& context)
    {
        return resolve(context.params.integer("start"), context.params.integer("end"), context.params.integer("step"),
            context.inputs.at(0)[resolvedDim(context)]);
    }

    /// "x[:, 2:6:2]" with the resolved, non-negative indices.
    static std::string subscript(const BuildContext& context, const std::string& input)
    {
        const Range range = resolve(context);
        std::string index;
        for (int64_t i = 0; i < resolvedDim(context); ++i)
            index += ":, ";
        index += std::to_string(range.start) + ":" + std::to_string(range.end);
        if (range.step != 1)
            index += ":" + std::to_string(range.step);
        return input + "[" + index + "]";
    }
};

NETDRAFT_REGISTER_LAYER(SliceLayer);

} // namespace
} // namespace netdraft::engine
