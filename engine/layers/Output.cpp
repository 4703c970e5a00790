// Output: marks the tensor the network returns and what it predicts.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class OutputLayer : public LayerType {
public:
    OutputLayer()
        : LayerType({ "Output", "Output", category::kInputOutput,
            "The network's output. For classification it receives one score (logit) per "
            "class; for regression the predicted values.",
            { ParamSpec::choice("task", "classification", { "classification", "regression" })
                    .onBlock()
                    .help("What the network predicts: class scores or continuous values.") },
            { "in" }, false, {} })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        const Shape& input = context.input();
        if (context.params().word("task") == "classification" && input.rank() != 2)
            context.error("classification expects N×classes scores, got " + input.toString()
                + "; add Flatten and Linear before the Output");
        context.setOutput(input);
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
    /// The exporter names what arrives here the graph output "output".
    bool onnxNodes(const BuildContext&, OnnxBuilder& onnx) const override
    {
        onnx.passThrough(onnx.inputs().at(0));
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(OutputLayer);

} // namespace
} // namespace netdraft::engine
