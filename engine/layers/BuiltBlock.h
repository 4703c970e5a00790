#pragma once
// A block turned into LibTorch: its module (holding the parameters) and its forward function.

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <vector>

namespace netdraft::engine {

/// `module` is registered in the model under the block id, so its parameters are named
/// "<block id>.<parameter>" exactly like the attributes of the exported PyTorch code.
/// Parameterless blocks (activations, Add, Flatten) leave `module` empty.
/// Layers with several output ports (Split, Chunk) set `forwardOutputs` instead of `forward`: one
/// tensor per port, in port order.
struct BuiltBlock {
    std::shared_ptr<torch::nn::Module> module;
    std::function<torch::Tensor(const std::vector<torch::Tensor>&)> forward;
    std::function<std::vector<torch::Tensor>(const std::vector<torch::Tensor>&)> forwardOutputs;

    /// Every output of the block: forwardOutputs' tensors, or forward's one.
    std::vector<torch::Tensor> run(const std::vector<torch::Tensor>& inputs) const
    {
        return forwardOutputs ? forwardOutputs(inputs) : std::vector<torch::Tensor> { forward(inputs) };
    }
};

} // namespace netdraft::engine
