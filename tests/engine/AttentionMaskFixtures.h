#pragma once
// Shared steps of the attention mask tests (AttentionMaskTest: MultiheadAttention, TransformerMaskTest:
// the transformer layers; LayerReferenceTest's attention models too): the mask computed in the graph
// from the input, the model in eval mode with biases that count, LibTorch's modules given the blocks'
// weights, attention written out for the masks LibTorch 1.13's C++ module cannot take, random masks,
// and the errors inference reports on a block.

#include <torch/torch.h>

#include "engine/graph/GraphBuilder.h"
#include "engine/inference/ShapeInference.h"
#include "engine/model/GraphModel.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace netdraft::tests {

/// Adds Linear "maskfc" on the input, an N×T×S mask (one per sample) for `queries` T and `keys` S;
/// with `perHead` it gives heads·S features, and Reshape "heads" and Permute "mask" make N×heads×T×S.
/// Returns the id of the block that gives the mask.
inline std::string addMaskFromInput(
    engine::GraphBuilder& builder, int64_t queries, int64_t keys, int64_t heads, bool perHead)
{
    using engine::IntList;
    builder.add("Linear", { { "out_features", perHead ? heads * keys : keys } }, "maskfc").connect("input", "maskfc");
    if (!perHead)
        return "maskfc";
    builder.then("Reshape", { { "shape", IntList { queries, heads, keys } } }, "heads")
        .then("Permute", { { "dims", IntList { 2, 1, 3 } } }, "mask");
    return "mask";
}

/// The model of `graph` built from `seed`, in eval mode, its biases drawn from ±0.5: away from zero, so
/// that a reference leaving one out would differ.
inline engine::GraphModel evalModelWithBiases(const engine::Graph& graph, uint64_t seed)
{
    engine::GraphModel model = engine::buildModel(graph, seed);
    torch::NoGradGuard noGrad;
    for (auto& item : model->named_parameters())
        if (item.key().find("bias") != std::string::npos)
            item.value().uniform_(-0.5, 0.5);
    model->eval();
    return model;
}

/// Copies block `id`'s weights into LibTorch's `module` by PyTorch's names (which the blocks share) and
/// puts it in eval mode.
template <typename Module> void copyBlockWeights(engine::GraphModel& model, const std::string& id, Module& module)
{
    torch::NoGradGuard noGrad;
    auto source = model->blockModule(id)->named_parameters();
    for (auto& item : module->named_parameters())
        item.value().copy_(source[item.key()]);
    module->eval();
}

/// PyTorch's reading of a bool mask: -inf where it is true (LibTorch 1.13's C++ modules would add it as
/// 1). Any other mask is returned as it is.
inline torch::Tensor additiveMask(const torch::Tensor& mask)
{
    if (!mask.defined() || mask.dtype() != torch::kBool)
        return mask;
    return torch::zeros(mask.sizes()).masked_fill(mask, -std::numeric_limits<float>::infinity());
}

/// nn.MultiheadAttention's formula written out with `attention`'s weights on batch-first `query` and
/// `memory` (key and value), for a mask of T×S or N×heads×T×S (bool or added to the scores) or none.
/// LibTorch 1.13's C++ module fails on masks that differ by sample ("output with shape [12, 6, 6]
/// doesn't match the broadcast shape [1, 12, 6, 6]"); the tests check this against the module on the
/// masks it takes.
inline torch::Tensor attentionWrittenOut(torch::nn::MultiheadAttention& attention, const torch::Tensor& query,
    const torch::Tensor& memory, const torch::Tensor& mask)
{
    const int64_t embed = attention->options.embed_dim();
    const int64_t heads = attention->options.num_heads();
    const int64_t headDim = embed / heads;
    auto project = [&](const torch::Tensor& x, int64_t part) {
        const torch::Tensor weight = attention->in_proj_weight.slice(0, part * embed, (part + 1) * embed);
        const torch::Tensor bias = attention->in_proj_bias.slice(0, part * embed, (part + 1) * embed);
        return torch::linear(x, weight, bias).reshape({ x.size(0), x.size(1), heads, headDim }).transpose(1, 2);
    };
    torch::Tensor scores
        = torch::matmul(project(query, 0) / std::sqrt(double(headDim)), project(memory, 1).transpose(-2, -1));
    if (mask.defined())
        scores = scores + additiveMask(mask);
    const torch::Tensor attended = torch::matmul(torch::softmax(scores, -1), project(memory, 2))
                                       .transpose(1, 2)
                                       .reshape({ query.size(0), query.size(1), embed });
    return attention->out_proj->forward(attended);
}

/// A random self-attention mask of `shape` (…×T×T): bool, about 40 % true but never on the diagonal, so
/// that no row is masked whole (such rows are NaN in PyTorch too), or float from N(0, 2²).
inline torch::Tensor randomSelfAttentionMask(const std::vector<int64_t>& shape, bool boolean)
{
    if (!boolean)
        return torch::randn(shape) * 2;
    const torch::Tensor diagonal = torch::eye(shape.back(), torch::kBool);
    return torch::rand(shape).lt(0.4).logical_and(diagonal.logical_not());
}

/// The errors shape inference reports on block `id` of `graph`, one a line.
inline std::string blockErrors(const engine::Graph& graph, const std::string& id)
{
    const engine::InferenceResult result = engine::inferShapes(graph);
    std::string errors;
    for (const std::string& error : result.find(id)->errors)
        errors += error + "\n";
    return errors;
}

} // namespace netdraft::tests
