#pragma once
// A checked network, worked out once from a graph: composites expanded, shapes inferred, blocks in
// execution order with their layer types and inputs, and what the network expects of its data.
// Model building, the exporters, the trainer, the dataset check and the CLI commands all walk this
// one value instead of inferring again. Free of LibTorch (the Qt code may hold one).

#include "engine/graph/CompositeExpansion.h"
#include "engine/graph/Graph.h"
#include "engine/inference/ShapeInference.h"
#include "engine/layers/LayerType.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace netdraft::engine {

struct Project;

/// One block of the network, in execution order.
struct NetworkStep {
    const Block* block = nullptr;       ///< in CompiledNetwork::graph() (expanded ids "enc1__conv")
    const LayerType* type = nullptr;
    const BlockInference* info = nullptr; ///< its checked parameters and shapes
    std::vector<size_t> inputSteps;     ///< indexes of the steps feeding its input ports, in port order
    /// For each input port, which output of the feeding step it reads: the index of the source's
    /// output port (always 0 unless the source has several outputs, like Split).
    std::vector<size_t> inputOutputs;

    /// How many tensors the block gives: its output ports when it has several (Split), else 1.
    size_t outputCount() const;

    const std::string& id() const { return block->id; }
    /// What the layer's build() and export hooks get for this block.
    BuildContext buildContext() const;
};

/// What the network takes and gives, for the dataset check and the export metadata.
struct NetworkSignature {
    std::vector<int64_t> inputShape; ///< one sample, from the Input block
    std::string inputDtype;          ///< the Input block's dtype, float32 or int64 (token ids); empty: unknown
    int64_t outputSize = 0;          ///< last dimension of what reaches the Output block
    /// The one answer to "is this classification?": the loss decides when compiled from a project
    /// (it is what training optimises), else the Output block's task.
    bool classification = true;

    std::string task() const { return classification ? "classification" : "regression"; }
};

/// What `inference` says the network takes and gives; what it could not work out stays empty (a graph
/// with errors, for the dataset preview). The classification answer is the Output block's task.
NetworkSignature signatureOf(const InferenceResult& inference);

/// Immutable and cheap to copy (copies share one state), so a trainer's replicas and an export's
/// steps all point into the same expanded graph.
class CompiledNetwork {
public:
    /// Expands composites and infers shapes once; throws Error listing every problem when the graph
    /// has errors or lacks exactly one Input and one Output block.
    static CompiledNetwork compile(const Graph& graph);
    /// The same for a project's graph, with the classification answer taken from its loss.
    static CompiledNetwork compile(const Project& project);
    /// The same, but a block that cannot run (an unsupported imported op, BlockInference::runErrors)
    /// does not stop it: for looking at the network (an import's weights and parameter count,
    /// validate's table), never for running or exporting it, whose opaque steps throw.
    static CompiledNetwork compileForInspection(const Graph& graph);
    static CompiledNetwork compileForInspection(const Project& project);

    const std::vector<NetworkStep>& steps() const { return state_->steps; }
    const NetworkStep& step(const std::string& blockId) const;
    const NetworkStep& inputStep() const { return state_->steps.at(state_->inputStep); }
    const NetworkStep& outputStep() const { return state_->steps.at(state_->outputStep); }
    size_t inputStepIndex() const { return state_->inputStep; }
    size_t outputStepIndex() const { return state_->outputStep; }
    /// Steps that compute something: every step but the Input and the Output.
    std::vector<const NetworkStep*> layers() const;

    /// The graph the steps run on: the original when it had no composite instances, else expanded.
    const Graph& graph() const { return state_->expanded.graph; }
    /// Where each expanded block came from (empty without composite instances).
    const std::unordered_map<std::string, ExpandedOrigin>& origins() const { return state_->expanded.origins; }
    const InferenceResult& inference() const { return state_->inference; }
    const NetworkSignature& signature() const { return state_->signature; }

private:
    struct State {
        ExpandedGraph expanded; ///< expanded.graph is a copy of `original` when nothing was expanded
        InferenceResult inference;
        std::vector<NetworkStep> steps;
        std::map<std::string, size_t> stepOf;
        size_t inputStep = 0;
        size_t outputStep = 0;
        NetworkSignature signature;
    };
    static std::shared_ptr<State> compileState(const Graph& graph, bool allowBlocksThatCannotRun = false);
    explicit CompiledNetwork(std::shared_ptr<const State> state) : state_(std::move(state)) {}
    std::shared_ptr<const State> state_;
};

} // namespace netdraft::engine
