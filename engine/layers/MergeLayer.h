#pragma once
// Shared base of the merge blocks (Add, Multiply, Concat): ports in1..inN from num_inputs, shape
// checks over all inputs, one expression for Python and TorchScript.

#include "engine/layers/LayerRegistry.h"
#include "engine/layers/BuiltBlock.h"

namespace netdraft::engine {

/// A block that combines num_inputs tensors into one.
class MergeLayer : public LayerType {
public:
    /// `extraParams` follow num_inputs (Concat's dim).
    MergeLayer(std::string type, std::string help, std::vector<ParamSpec> extraParams = {});

    /// By default every input must have the first input's shape, which is the output shape; a layer that
    /// broadcasts() takes inputs of one rank whose sizes are equal or 1 (stretched, as PyTorch does).
    void inferShape(InferenceContext& context) const override;
    BuiltBlock build(const BuildContext& context) const override;
    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override;
    std::optional<std::string> torchScriptBody(const BuildContext& context) const override;

protected:
    /// Whether a size of 1 stretches to the others' (a squeeze-and-excitation gate N×C×1×1 times the
    /// features N×C×H×W); off for adding and joining, where a different shape is a wiring mistake.
    virtual bool broadcasts() const { return false; }
    virtual torch::Tensor combine(const std::vector<torch::Tensor>& inputs, const ParamReader& params) const = 0;
    /// The merged value over the operand expressions, valid in Python and TorchScript: "x1 + x2".
    virtual std::string expression(const std::vector<std::string>& operands, const ParamReader& params) const = 0;
};

} // namespace netdraft::engine
