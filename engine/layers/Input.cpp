// Input: where a batch enters the network; carries the per-sample shape and dtype.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class InputLayer : public LayerType {
public:
    InputLayer()
        : LayerType({ "Input", "Input", category::kInputOutput,
            "The network's input. Its shape is one sample's sizes without the batch "
            "dimension, e.g. 3×32×32 for RGB images or 20 for 20 features.",
            { ParamSpec::intList("shape", { 3, 32, 32 })
                    .min(1)
                    .onBlock()
                    .help("Sizes of one sample, without the batch dimension."),
                ParamSpec::choice("dtype", "float32", { "float32", "int64" })
                    .help("Element type: float32 for images and features, int64 for token ids "
                          "(Embedding).") },
            {}, false, { "out" } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        IntList shape = context.params().list("shape");
        if (shape.empty()) {
            context.error("shape must have at least one dimension");
            return;
        }
        context.setOutput(Shape::batched(shape));
    }

    BuiltBlock build(const BuildContext&) const override
    {
        return { nullptr, [](const std::vector<torch::Tensor>& in) { return in.at(0); } };
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext&, const std::string&, const std::vector<std::string>& inputs) const override
    {
        return PythonCode { {}, python::firstInput(inputs) };
    }

    std::optional<std::string> torchScriptBody(const BuildContext&) const override { return "return x0"; }
    /// The exporter feeds the graph input "input" to this block.
    bool onnxNodes(const BuildContext&, OnnxBuilder& onnx) const override
    {
        onnx.passThrough(onnx.inputs().at(0));
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(InputLayer);

} // namespace
} // namespace netdraft::engine
