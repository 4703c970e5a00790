#pragma once
// Shared base of the blocks that reduce over dimensions (Mean, Sum, Max): dims (never the batch),
// keepdim, and one PyTorch function for LibTorch, Python and TorchScript.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"

#include <functional>
#include <string>

namespace netdraft::engine {

/// What a reduction computes, in LibTorch and by name.
struct Reduction {
    std::function<torch::Tensor(const torch::Tensor&, const IntList& dims, bool keepdim)> apply;
    std::string torchFunction; ///< "mean": torch.mean(x, dim=(1, 2), keepdim=False)
    std::string onnxOperator;  ///< "ReduceMean"
    bool onnxAxesAsInput = false; ///< opset 17: ReduceSum takes its axes as an input, the others as an attribute
};

/// Reduces the input over `dims` (dimensions counted with the batch as 0, negatives from the end).
class ReductionLayer : public LayerType {
public:
    ReductionLayer(std::string type, std::string help, Reduction reduction);

    void inferShape(InferenceContext& context) const override;
    BuiltBlock build(const BuildContext& context) const override;
    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override;
    std::optional<std::string> torchScriptBody(const BuildContext& context) const override;
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override;

private:
    Reduction reduction_;
};

} // namespace netdraft::engine
