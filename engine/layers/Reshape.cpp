// Reshape: gives each sample a new shape with the same number of elements.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

#include <algorithm>

namespace netdraft::engine {
namespace {

class ReshapeLayer : public LayerType {
public:
    ReshapeLayer()
        : LayerType({ "Reshape", "Reshape", category::kReshape,
            "Rearranges each sample into a new shape with the same number of elements, e.g. 784 "
            "into 1×28×28. The batch dimension is kept; one size may be -1 to take what is left.",
            { ParamSpec::intList("shape", { -1 })
                    .min(-1)
                    .onBlock()
                    .help("Sizes of one sample after the reshape, without the batch dimension; one may be -1.") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        const Shape& input = context.input();
        IntList target = context.params().list("shape");
        const std::string shown = formatParamValue(target);
        if (target.empty()) {
            context.error("shape must have at least one dimension");
            return;
        }
        if (std::count(target.begin(), target.end(), -1) > 1 || std::count(target.begin(), target.end(), 0) > 0) {
            context.error("shape " + shown + " may hold one -1 and otherwise sizes >= 1");
            return;
        }
        const IntList perSample(input.dims().begin() + 1, input.dims().end()); // dimension 0 is the batch
        const int64_t elements = Shape(perSample).sampleElements();
        int64_t known = 1;
        for (int64_t size : target)
            known *= size == -1 ? 1 : size;
        auto wildcard = std::find(target.begin(), target.end(), -1);
        if (wildcard != target.end()) {
            if (elements % known != 0) {
                context.error("shape " + shown + " cannot hold the " + std::to_string(elements) + " elements of "
                    + formatFactors(perSample) + ": " + std::to_string(elements) + " is not a multiple of "
                    + std::to_string(known));
                return;
            }
            *wildcard = elements / known;
        } else if (known != elements) {
            context.error("shape " + shown + " has " + std::to_string(known) + " elements but each sample "
                + formatFactors(perSample) + " has " + std::to_string(elements));
            return;
        }
        target.insert(target.begin(), input[0]);
        context.setOutput(Shape(target));
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const IntList sizes = resolvedSizes(context);
        return { nullptr, [sizes](const std::vector<torch::Tensor>& in) { return in[0].reshape(sizes); } };
    }

    // The code uses the sizes inference resolved, so -1 stands for the batch alone.
    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        const std::string list = python::list(resolvedSizes(context));
        return PythonCode { {},
            python::operand(python::firstInput(inputs)) + ".reshape(" + list.substr(1, list.size() - 2) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        return "return x0.reshape(" + python::list(resolvedSizes(context)) + ")";
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        IntList sizes = context.output.dims();
        sizes.front() = 0; // ONNX Reshape: 0 copies the input's (dynamic) batch size
        onnx.node("Reshape", { onnx.inputs().at(0), onnx.ints("shape", sizes) }, { onnx.output() });
        return true;
    }

private:
    static IntList resolvedSizes(const BuildContext& context)
    {
        IntList sizes = context.output.dims();
        sizes.front() = -1;
        return sizes;
    }
};

NETDRAFT_REGISTER_LAYER(ReshapeLayer);

} // namespace
} // namespace netdraft::engine
