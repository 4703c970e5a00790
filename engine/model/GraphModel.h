#pragma once
// The LibTorch module built from a compiled network: runs its steps in order.

#include "engine/layers/BuiltBlock.h"
#include "engine/network/CompiledNetwork.h"

#include <map>
#include <string>
#include <vector>

namespace netdraft::engine {

/// Watches each step of GraphModelImpl::forward() while it is set: the NaN diagnosis and the per-block
/// statistics look at every block's inputs and outputs this way, through the one walk of the network.
class StepWatcher {
public:
    virtual ~StepWatcher() = default;
    /// Before a step runs; may replace its inputs (with aliases whose gradients it wants to see).
    virtual void beforeStep(size_t stepIndex, const std::string& blockId, std::vector<torch::Tensor>& inputs)
    {
        (void)stepIndex, (void)blockId, (void)inputs;
    }
    /// After the step ran, with what it read and gave.
    virtual void afterStep(size_t stepIndex, const std::string& blockId, const std::vector<torch::Tensor>& inputs,
        const std::vector<torch::Tensor>& outputs)
        = 0;
};

/// A network built from a graph. Submodules are keyed by block id, so a checkpoint still fits
/// after blocks elsewhere in the graph change. Composite instances are built from their expanded
/// inner blocks: the submodule of block "conv" inside instance "enc1" is "enc1__conv".
class GraphModelImpl : public torch::nn::Module {
public:
    /// Builds every step of the network. Each block's initial weights come from `seed` and its id
    /// alone, so they do not change when other blocks are added or removed.
    explicit GraphModelImpl(const CompiledNetwork& network, uint64_t seed = 0);

    /// Runs the network on a batch; returns the tensor reaching the Output block.
    torch::Tensor forward(torch::Tensor input);

    /// Blocks in execution order.
    const std::vector<std::string>& order() const { return order_; }
    /// Number of trainable values per block id (0 for parameterless blocks); a composite instance has
    /// the sum of its inner blocks, which are listed too (expanded ids, "enc1__conv").
    const std::map<std::string, int64_t>& parameterCounts() const { return parameterCounts_; }
    int64_t totalParameters() const;
    /// The submodule of a block, or null for parameterless blocks.
    std::shared_ptr<torch::nn::Module> blockModule(const std::string& blockId) const;
    /// Lets `watcher` see every step of the following forward() calls; null stops watching. Not owned.
    void setStepWatcher(StepWatcher* watcher) { watcher_ = watcher; }

private:
    /// The value table holds one slot per output of each step (one for most blocks, several for Split).
    struct Step {
        std::string blockId;
        std::vector<size_t> inputSlots; ///< indexes into the value table, in port order
        size_t firstSlot = 0;           ///< the slot of its first output
        std::function<torch::Tensor(const std::vector<torch::Tensor>&)> forward;
        std::function<std::vector<torch::Tensor>(const std::vector<torch::Tensor>&)> forwardOutputs;
        std::vector<size_t> releaseAfter; ///< value slots no later step reads
    };

    std::vector<std::string> order_;
    std::vector<Step> steps_;
    size_t slotCount_ = 0;
    size_t inputStep_ = 0;
    size_t outputSlot_ = 0;
    std::map<std::string, int64_t> parameterCounts_;
    std::map<std::string, std::shared_ptr<torch::nn::Module>> blockModules_;
    StepWatcher* watcher_ = nullptr;
};
TORCH_MODULE(GraphModel);

/// Compiles the graph and builds the model in one call; throws Error with every problem when invalid.
GraphModel buildModel(const Graph& graph, uint64_t seed = 0);
/// Builds the model of an already compiled network.
GraphModel buildModel(const CompiledNetwork& network, uint64_t seed = 0);

} // namespace netdraft::engine
