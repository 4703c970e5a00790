// Multiply: element-wise product of its inputs (gating, attention masks).

#include "engine/layers/MergeLayer.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class MultiplyLayer : public MergeLayer {
public:
    MultiplyLayer()
        : MergeLayer("Multiply",
            "Multiplies its inputs element-wise, e.g. to gate features with a sigmoid branch. The inputs have "
            "one rank, and each size is equal or 1, which stretches as in PyTorch: a squeeze-and-excitation "
            "gate N×C×1×1 times the features N×C×H×W gives N×C×H×W.")
    {
    }

    bool onnxNodes(const BuildContext&, OnnxBuilder& onnx) const override
    {
        const auto& inputs = onnx.inputs();
        std::string product = inputs.at(0);
        for (size_t i = 1; i + 1 < inputs.size(); ++i)
            product = onnx.apply("Mul", { product, inputs[i] }, "product");
        onnx.node("Mul", { product, inputs.back() }, { onnx.output() });
        return true;
    }

protected:
    bool broadcasts() const override { return true; }

    torch::Tensor combine(const std::vector<torch::Tensor>& inputs, const ParamReader&) const override
    {
        torch::Tensor product = inputs[0];
        for (size_t i = 1; i < inputs.size(); ++i)
            product = product * inputs[i];
        return product;
    }

    std::string expression(const std::vector<std::string>& operands, const ParamReader&) const override
    {
        std::vector<std::string> factors;
        for (const std::string& operand : operands)
            factors.push_back(python::operand(operand));
        return python::join(factors, " * ");
    }
};

NETDRAFT_REGISTER_LAYER(MultiplyLayer);

} // namespace
} // namespace netdraft::engine
