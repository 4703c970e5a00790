#pragma once
// Writes the blocks of a network into an ONNX GraphProto through the layers' onnxNodes() hooks:
// unique value names, initializers from the blocks' LibTorch parameters, nodes named by block.

#include "engine/layers/OnnxBuilder.h"
#include "engine/network/CompiledNetwork.h"

#include <onnx/onnx_pb.h>
#include <torch/torch.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace netdraft::engine {

class OnnxGraphWriter {
public:
    explicit OnnxGraphWriter(onnx::GraphProto& graph)
        : graph_(graph)
    {
    }

    /// `wanted`, or `wanted` with a number appended when the name is taken; reserves it.
    std::string uniqueName(const std::string& wanted);
    /// Adds an initializer under `name` (already unique).
    void addInitializer(const std::string& name, const OnnxTensorValues& values);

    /// Appends the nodes of `step`, whose input ports receive `inputs`; `module` holds its parameters
    /// (null for parameterless blocks). Returns the names of the block's results (one per output), or
    /// std::nullopt when its layer type has no ONNX export.
    std::optional<std::vector<std::string>> writeBlock(const NetworkStep& step, const std::shared_ptr<torch::nn::Module>& module,
        const std::vector<std::string>& inputs);

    /// Renames the value `from` to `to` in every node (`to` must be unused).
    void renameValue(const std::string& from, const std::string& to);

    onnx::GraphProto& graph() { return graph_; }

private:
    onnx::GraphProto& graph_;
    std::set<std::string> names_;
};

/// The float32 values of a LibTorch tensor, row-major, for an initializer.
OnnxTensorValues onnxTensorValues(const torch::Tensor& tensor);

} // namespace netdraft::engine
