// Flatten: merges dimensions start_dim..end_dim into one.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class FlattenLayer : public LayerType {
public:
    FlattenLayer()
        : LayerType({ "Flatten", "Flatten", category::kReshape,
            "Flattens dimensions start_dim..end_dim into one, e.g. N×128×4×4 into N×2048 "
            "before a Linear layer.",
            { ParamSpec::integer("start_dim", 1).help("First dimension to flatten (0 is the batch)."),
                ParamSpec::integer("end_dim", -1).help("Last dimension to flatten; -1 is the last.") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        const Shape& input = context.input();
        const int64_t rank = input.rank();
        int64_t start = context.params().integer("start_dim");
        int64_t end = context.params().integer("end_dim");
        if (start < 0)
            start += rank;
        if (end < 0)
            end += rank;
        if (start < 1 || start >= rank || end < start || end >= rank) {
            context.error("start_dim/end_dim select no dimensions after the batch of " + input.toString()
                + " (start_dim must be >= 1 and <= end_dim)");
            return;
        }
        std::vector<int64_t> dims(input.dims().begin(), input.dims().begin() + start);
        std::vector<int64_t> merged(input.dims().begin() + start, input.dims().begin() + end + 1);
        dims.push_back(Shape(merged).sampleElements());
        dims.insert(dims.end(), input.dims().begin() + end + 1, input.dims().end());
        Shape output(dims);
        if (merged.size() > 1)
            output.setFlattenedFrom(merged);
        context.setOutput(output);
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const int64_t start = context.params.integer("start_dim");
        const int64_t end = context.params.integer("end_dim");
        return { nullptr, [start, end](const std::vector<torch::Tensor>& in) { return in[0].flatten(start, end); } };
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        return PythonCode { {}, call(context.params, python::firstInput(inputs)) };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        return "return " + call(context.params, "x0");
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const IntList& dims = context.output.dims();
        if (dims.size() == 2) {
            onnx.node("Flatten", { onnx.inputs().at(0) }, { onnx.output() }, { { "axis", int64_t(1) } });
        } else { // 0 keeps the (dynamic) batch size
            IntList sizes = dims;
            sizes.front() = 0;
            onnx.node("Reshape", { onnx.inputs().at(0), onnx.ints("shape", sizes) }, { onnx.output() });
        }
        return true;
    }

private:
    static std::string call(const ParamReader& params, const std::string& input)
    {
        return "torch.flatten(" + input + ", " + std::to_string(params.integer("start_dim")) + ", "
            + std::to_string(params.integer("end_dim")) + ")";
    }
};

NETDRAFT_REGISTER_LAYER(FlattenLayer);

} // namespace
} // namespace netdraft::engine
