#pragma once
// Shared base of the two-input arithmetic blocks (Subtract, Divide): ports in1 and in2, PyTorch's
// broadcasting over the dimensions after the batch, one operator for Python and TorchScript.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"

#include <functional>
#include <optional>
#include <string>

namespace netdraft::engine {

/// The output of broadcasting inputs 0 and 1 of `context` (equal ranks; each size equal, or 1 on one
/// side), or nullopt after recording an error that names both shapes.
std::optional<Shape> broadcastInputs(InferenceContext& context, const std::string& type);

/// in1 <operator> in2, element-wise with broadcasting.
class BinaryArithmeticLayer : public LayerType {
public:
    /// `symbol` is the Python operator ("-"), `onnxOperator` the ONNX node ("Sub").
    BinaryArithmeticLayer(std::string type, std::string help, std::string symbol, std::string onnxOperator,
        std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)> apply);

    void inferShape(InferenceContext& context) const override;
    BuiltBlock build(const BuildContext& context) const override;
    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override;
    std::optional<std::string> torchScriptBody(const BuildContext& context) const override;
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override;

private:
    std::string symbol_;
    std::string onnxOperator_;
    std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)> apply_;
};

} // namespace netdraft::engine
