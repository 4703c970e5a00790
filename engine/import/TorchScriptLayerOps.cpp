// Layers with weights and activations in a TorchScript graph as blocks: convolutions (also the
// tracer's aten::_convolution), Linear, batch, layer, group and instance norm, PReLU, Embedding, and
// the activations and softmax. Hyper-parameters come from the call's constants, weights from the
// module attributes it reads (named as the layer's LibTorch module names them).

#include "engine/import/TorchScriptOpContext.h"

#include <algorithm>

namespace netdraft::engine {

namespace {

using torch::jit::Node;
using torch::jit::Value;

/// Maps one node; the helpers read its inputs through the reader's context.
class LayerOpMapper {
public:
    LayerOpMapper(Node* node, ImportedOp& op, TorchScriptOpContext& context)
        : node(node)
        , op(op)
        , context_(context)
    {
    }

    bool map(const std::string& kind)
    {
        if (!mapWeighted(kind) && !mapActivation(kind))
            return false;
        context_.setOutputRank(rank_);
        return true;
    }

private:
    int input(size_t index) { return context_.input(op, node->input(index)); }
    int rankOf(int from) const { return context_.rankOf(from); }
    c10::IValue constant(const Value* value, const char* what) { return context_.constant(value, what); }
    int64_t integer(const Value* value, const char* what) { return context_.integer(value, what); }
    double real(const Value* value, const char* what) { return context_.real(value, what); }
    bool flag(const Value* value, const char* what) { return context_.flag(value, what); }
    IntList integers(const Value* value, const char* what) { return context_.integers(value, what); }
    bool isNone(const Value* value) { return context_.isNone(value); }

    /// The module tensors at the node's inputs, by name ("weight" ← input 1); None inputs are left out.
    void weights(std::initializer_list<std::pair<const char*, size_t>> names)
    {
        for (const auto& [name, index] : names) {
            std::string module;
            torch::Tensor tensor = context_.tensorAttribute(node->input(index), &module);
            if (tensor.defined())
                op.weights.emplace_back(name, tensor);
            if (!module.empty())
                op.modulePath = module;
        }
    }

    /// One input, output of the same rank.
    bool simple(const char* type)
    {
        op.layerType = type;
        rank_ = rankOf(input(0));
        return true;
    }

    /// Layers with weights: convolutions, Linear, normalisations, Embedding.
    bool mapWeighted(const std::string& kind)
    {
        if (kind == "aten::conv1d" || kind == "aten::conv2d" || kind == "aten::conv3d")
            return convolution(kind == "aten::conv1d" ? 1 : kind == "aten::conv2d" ? 2 : 3);
        if (kind == "aten::_convolution")
            return legacyConvolution();
        if (kind == "aten::conv_transpose2d")
            return transposedConvolution(3, 5, 6, 7);
        if (kind == "aten::linear") {
            op.layerType = "Linear";
            rank_ = rankOf(input(0));
            weights({ { "weight", 1 }, { "bias", 2 } });
            op.params["out_features"] = op.weights.front().second.size(0);
            op.params["bias"] = op.weights.size() > 1;
            return true;
        }
        if (kind == "aten::batch_norm")
            return batchNorm();
        if (kind == "aten::layer_norm") {
            op.layerType = "LayerNorm";
            rank_ = rankOf(input(0));
            op.params["normalized_shape"] = integers(node->input(1), "normalized_shape");
            weights({ { "weight", 2 }, { "bias", 3 } });
            op.params["elementwise_affine"] = !op.weights.empty();
            op.params["eps"] = real(node->input(4), "eps");
            return true;
        }
        if (kind == "aten::group_norm") {
            op.layerType = "GroupNorm";
            rank_ = rankOf(input(0));
            op.params["num_groups"] = integer(node->input(1), "num_groups");
            weights({ { "weight", 2 }, { "bias", 3 } });
            op.params["affine"] = !op.weights.empty();
            op.params["eps"] = real(node->input(4), "eps");
            return true;
        }
        if (kind == "aten::instance_norm")
            return instanceNorm();
        if (kind == "aten::prelu") {
            op.layerType = "PReLU";
            rank_ = rankOf(input(0));
            weights({ { "weight", 1 } });
            if (op.weights.empty())
                throw UnmappedOp { "slopes computed while running have no block" };
            op.params["num_parameters"] = op.weights.front().second.numel();
            return true;
        }
        if (kind == "aten::embedding") {
            op.layerType = "Embedding";
            weights({ { "weight", 0 } });
            const int from = input(1);
            rank_ = rankOf(from) + 1;
            op.params["num_embeddings"] = op.weights.front().second.size(0);
            op.params["embedding_dim"] = op.weights.front().second.size(1);
            return true;
        }
        return false;
    }

    bool mapActivation(const std::string& kind)
    {
        if (kind == "aten::relu")
            return simple("ReLU");
        if (kind == "aten::sigmoid")
            return simple("Sigmoid");
        if (kind == "aten::tanh")
            return simple("Tanh");
        if (kind == "aten::silu")
            return simple("SiLU");
        if (kind == "aten::gelu") {
            if (node->inputs().size() > 1)
                op.params["approximate"] = constant(node->input(1), "approximate").toStringRef();
            return simple("GELU");
        }
        if (kind == "aten::leaky_relu") {
            op.params["negative_slope"] = real(node->input(1), "negative_slope");
            return simple("LeakyReLU");
        }
        if (kind == "aten::elu") {
            if (real(node->input(2), "scale") != 1.0 || real(node->input(3), "input_scale") != 1.0)
                throw UnmappedOp { "ELU with a scale (SELU/CELU) has no block" };
            op.params["alpha"] = real(node->input(1), "alpha");
            return simple("ELU");
        }
        if (kind == "aten::hardtanh") { // nn.ReLU6 is hardtanh(x, 0, 6)
            const double low = real(node->input(1), "min_val"), high = real(node->input(2), "max_val");
            if (low == 0.0 && high == 6.0)
                return simple("ReLU6");
            op.params["min_val"] = low;
            op.params["max_val"] = high;
            return simple("Hardtanh");
        }
        if (kind == "aten::hardswish")
            return simple("Hardswish");
        if (kind == "aten::hardsigmoid")
            return simple("Hardsigmoid");
        if (kind == "aten::mish")
            return simple("Mish");
        if (kind == "aten::softplus") {
            op.params["beta"] = real(node->input(1), "beta");
            op.params["threshold"] = real(node->input(2), "threshold");
            return simple("Softplus");
        }
        if (kind == "aten::softmax" || kind == "aten::log_softmax") {
            if (node->inputs().size() > 2 && !isNone(node->input(2)))
                throw UnmappedOp { "a dtype argument has no block parameter" };
            op.params["dim"] = integer(node->input(1), "dim");
            return simple(kind == "aten::softmax" ? "Softmax" : "LogSoftmax");
        }
        return false;
    }

    bool convolution(int dimensions)
    {
        op.layerType = "Conv" + std::to_string(dimensions) + "d";
        input(0);
        rank_ = dimensions + 2;
        weights({ { "weight", 1 }, { "bias", 2 } });
        const torch::Tensor& weight = op.weights.front().second;
        op.params["out_channels"] = weight.size(0);
        op.params["kernel_size"] = IntList(weight.sizes().begin() + 2, weight.sizes().end());
        op.params["stride"] = integers(node->input(3), "stride");
        const c10::IValue padding = constant(node->input(4), "padding");
        if (padding.isString())
            op.params["padding"] = padding.toStringRef();
        else
            op.params["padding"] = integers(node->input(4), "padding");
        op.params["dilation"] = integers(node->input(5), "dilation");
        op.params["groups"] = integer(node->input(6), "groups");
        op.params["bias"] = op.weights.size() > 1;
        return true;
    }

    bool legacyConvolution()
    {
        // _convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups, …)
        if (flag(node->input(6), "transposed"))
            return transposedConvolution(3, 4, 7, 8, 5);
        op.layerType = "Conv2d";
        input(0);
        weights({ { "weight", 1 }, { "bias", 2 } });
        const torch::Tensor& weight = op.weights.front().second;
        if (weight.dim() == 3)
            op.layerType = "Conv1d";
        else if (weight.dim() == 5)
            op.layerType = "Conv3d";
        else if (weight.dim() != 4)
            throw UnmappedOp { "only 1-D, 2-D and 3-D convolutions have blocks" };
        rank_ = static_cast<int>(weight.dim());
        op.params["out_channels"] = weight.size(0);
        op.params["kernel_size"] = IntList(weight.sizes().begin() + 2, weight.sizes().end());
        op.params["stride"] = integers(node->input(3), "stride");
        op.params["padding"] = integers(node->input(4), "padding");
        op.params["dilation"] = integers(node->input(5), "dilation");
        op.params["groups"] = integer(node->input(8), "groups");
        op.params["bias"] = op.weights.size() > 1;
        return true;
    }

    /// conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation); the
    /// argument positions differ in _convolution, so they are given.
    bool transposedConvolution(size_t stride, size_t padding, size_t outputPadding, size_t groups, size_t dilation = 7)
    {
        op.layerType = "ConvTranspose2d";
        input(0);
        rank_ = 4;
        weights({ { "weight", 1 }, { "bias", 2 } });
        const torch::Tensor& weight = op.weights.front().second;
        if (weight.dim() != 4)
            throw UnmappedOp { "only 2-D transposed convolutions have a block" };
        const int64_t groupCount = integer(node->input(groups), "groups");
        op.params["out_channels"] = weight.size(1) * groupCount;
        op.params["kernel_size"] = IntList(weight.sizes().begin() + 2, weight.sizes().end());
        op.params["stride"] = integers(node->input(stride), "stride");
        op.params["padding"] = integers(node->input(padding), "padding");
        op.params["output_padding"] = integers(node->input(outputPadding), "output_padding");
        op.params["dilation"] = integers(node->input(dilation), "dilation");
        op.params["groups"] = groupCount;
        op.params["bias"] = op.weights.size() > 1;
        return true;
    }

    bool batchNorm()
    {
        // batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled)
        const int from = input(0);
        const int rank = rankOf(from);
        if (rank == 4)
            op.layerType = "BatchNorm2d";
        else if (rank == 2 || rank == 3)
            op.layerType = "BatchNorm1d";
        else
            throw UnmappedOp { "batch norm over " + std::to_string(rank) + "-D values has no block" };
        rank_ = rank;
        weights({ { "weight", 1 }, { "bias", 2 }, { "running_mean", 3 }, { "running_var", 4 } });
        const bool affine = !isNone(node->input(1)) && !op.weights.empty() && op.weights.front().first == "weight";
        op.params["affine"] = affine;
        op.params["track_running_stats"] = std::any_of(
            op.weights.begin(), op.weights.end(), [](const auto& entry) { return entry.first == "running_mean"; });
        const c10::IValue momentum = constant(node->input(6), "momentum");
        if (momentum.isNone())
            throw UnmappedOp { "momentum None (a cumulative average) has no block parameter" };
        op.params["momentum"] = real(node->input(6), "momentum");
        op.params["eps"] = real(node->input(7), "eps");
        return true;
    }

    bool instanceNorm()
    {
        // instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps, cudnn)
        const int from = input(0);
        const int rank = rankOf(from);
        if (rank != 3 && rank != 4)
            throw UnmappedOp { "instance norm over " + std::to_string(rank) + "-D values has no block" };
        op.layerType = rank == 3 ? "InstanceNorm1d" : "InstanceNorm2d";
        rank_ = rank;
        weights({ { "weight", 1 }, { "bias", 2 } });
        op.params["affine"] = !op.weights.empty();
        // Netdraft evaluates with the running statistics exactly when it tracks them, as PyTorch's eval mode.
        const bool runningStatistics = !flag(node->input(5), "use_input_stats");
        if (runningStatistics) {
            weights({ { "running_mean", 3 }, { "running_var", 4 } });
            if (op.weights.size() != (std::get<bool>(op.params["affine"]) ? 4u : 2u))
                throw UnmappedOp { "running statistics computed while running have no block" };
        }
        op.params["track_running_stats"] = runningStatistics;
        op.params["momentum"] = real(node->input(6), "momentum");
        op.params["eps"] = real(node->input(7), "eps");
        return true;
    }

    Node* node;
    ImportedOp& op;
    TorchScriptOpContext& context_;
    int rank_ = 0;
};

} // namespace

bool mapLayerOp(const std::string& kind, Node* node, ImportedOp& op, TorchScriptOpContext& context)
{
    return LayerOpMapper(node, op, context).map(kind);
}

} // namespace netdraft::engine
