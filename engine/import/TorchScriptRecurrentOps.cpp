// torch.nn.LSTM, GRU and RNN modules in a TorchScript graph (aten::lstm, aten::gru, aten::rnn_tanh,
// aten::rnn_relu) as LSTM, GRU and RNN blocks: the weights from the module's flat weight list, in
// PyTorch's order (per layer and direction w_ih, w_hh, b_ih, b_hh), named as LibTorch's modules name
// them; num_layers, bidirectional and batch_first from the call. The starting state must be zeros
// (what the modules make when called without one); the final hidden state has no block.

#include "engine/import/TorchScriptOpContext.h"

namespace netdraft::engine {

namespace {

using torch::jit::Node;
using torch::jit::Value;

/// Whether `value` is a tensor of zeros made in the graph (aten::zeros), or a list of them.
bool isZeros(const Value* value)
{
    const Node* node = value->node();
    if (node->kind() == c10::prim::ListConstruct) {
        for (const Value* item : node->inputs())
            if (!isZeros(item))
                return false;
        return true;
    }
    return node->kind() == c10::aten::zeros;
}

/// The flat weight list: a frozen constant (scripted) or a list of module attributes (traced).
std::vector<torch::Tensor> flatWeights(const Value* list, std::string& modulePath, TorchScriptOpContext& context)
{
    if (std::optional<c10::IValue> constant = context.scalar(list); constant && constant->isTensorList())
        return constant->toTensorVector();
    if (list->node()->kind() != c10::prim::ListConstruct)
        throw UnmappedOp { "its weights are computed, not module attributes" };
    std::vector<torch::Tensor> weights;
    for (const Value* item : list->node()->inputs()) {
        std::string module;
        weights.push_back(context.tensorAttribute(item, &module));
        if (!module.empty())
            modulePath = module;
    }
    return weights;
}

} // namespace

bool mapRecurrentOp(const std::string& kind, Node* node, ImportedOp& op, TorchScriptOpContext& context)
{
    const bool lstm = kind == "aten::lstm";
    if (!lstm && kind != "aten::gru" && kind != "aten::rnn_tanh" && kind != "aten::rnn_relu")
        return false;
    // (input, hx, params, has_biases, num_layers, dropout, train, bidirectional, batch_first); the
    // packed-sequence overload (data, batch_sizes, hx, params, …) has a tensor where params are.
    if (node->inputs().size() != 9 || !node->input(2)->type()->isSubtypeOf(*c10::ListType::ofTensors()))
        throw UnmappedOp { "packed sequences have no block" };
    if (!isZeros(node->input(1)))
        throw UnmappedOp { "a starting state other than zeros has no block" };
    const bool timeFirstInput = context.timeFirst(node->input(0));
    const int rank = context.rankOf(context.input(op, node->input(0)));
    if (rank != 3)
        throw UnmappedOp { "only sequences of vectors (3-D: batch, time, features) have a block" };
    const bool bias = context.flag(node->input(3), "has_biases");
    const int64_t layers = context.integer(node->input(4), "num_layers");
    const bool bidirectional = context.flag(node->input(7), "bidirectional");
    const bool batchFirst = context.flag(node->input(8), "batch_first");
    if (timeFirstInput && batchFirst)
        throw UnmappedOp { "its input has time first and the batch second, which no block reads" };

    std::string module;
    const std::vector<torch::Tensor> weights = flatWeights(node->input(2), module, context);
    const int64_t directions = bidirectional ? 2 : 1;
    const size_t perDirection = bias ? 4 : 2;
    if (weights.size() != static_cast<size_t>(layers * directions) * perDirection)
        throw UnmappedOp { std::to_string(weights.size()) + " weights where num_layers " + std::to_string(layers)
            + " × directions " + std::to_string(directions) + " needs "
            + std::to_string(layers * directions * static_cast<int64_t>(perDirection))
            + "; projections (proj_size) have no block" };
    size_t next = 0;
    for (int64_t layer = 0; layer < layers; ++layer)
        for (int64_t direction = 0; direction < directions; ++direction) {
            const std::string suffix = "_l" + std::to_string(layer) + (direction ? "_reverse" : "");
            for (const char* name : { "weight_ih", "weight_hh", "bias_ih", "bias_hh" }) {
                if (!bias && std::string(name).rfind("bias", 0) == 0)
                    continue;
                op.weights.emplace_back(name + suffix, weights[next++]);
            }
        }
    if (!module.empty())
        op.modulePath = module;

    op.layerType = lstm ? "LSTM" : kind == "aten::gru" ? "GRU" : "RNN";
    if (kind == "aten::rnn_relu")
        op.params["nonlinearity"] = std::string("relu");
    op.params["hidden_size"] = weights.at(1).size(1);
    op.params["num_layers"] = layers;
    op.params["bias"] = bias;
    op.params["dropout"] = context.real(node->input(5), "dropout");
    op.params["bidirectional"] = bidirectional;
    // A batch-first sequence made time-first by x.transpose(0, 1) runs batch first, its output too.
    op.params["batch_first"] = batchFirst || timeFirstInput;
    if (timeFirstInput)
        context.setOutputTimeFirst();
    context.setOutputRank(3);
    return true;
}

} // namespace netdraft::engine
