// Add: element-wise sum of its inputs (residual connections).

#include "engine/layers/MergeLayer.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class AddLayer : public MergeLayer {
public:
    AddLayer()
        : MergeLayer("Add",
            "Adds its inputs element-wise, e.g. the skip connection of a residual block. All "
            "inputs must have the same shape, which is the output shape.")
    {
    }

    bool onnxNodes(const BuildContext&, OnnxBuilder& onnx) const override
    {
        onnx.node("Sum", onnx.inputs(), { onnx.output() });
        return true;
    }

protected:
    torch::Tensor combine(const std::vector<torch::Tensor>& inputs, const ParamReader&) const override
    {
        torch::Tensor sum = inputs[0];
        for (size_t i = 1; i < inputs.size(); ++i)
            sum = sum + inputs[i];
        return sum;
    }

    std::string expression(const std::vector<std::string>& operands, const ParamReader&) const override
    {
        std::vector<std::string> terms;
        for (const std::string& operand : operands)
            terms.push_back(python::operand(operand));
        return python::join(terms, " + ");
    }
};

NETDRAFT_REGISTER_LAYER(AddLayer);

} // namespace
} // namespace netdraft::engine
