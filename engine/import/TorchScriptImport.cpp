#include "engine/import/TorchScriptImport.h"

#include "engine/core/Error.h"
#include "engine/import/TorchScriptLoading.h"
#include "engine/import/TorchScriptOpContext.h"
#include "engine/import/TorchScriptScalars.h"

#include <torch/csrc/jit/ir/constants.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <sstream>

namespace netdraft::engine {

namespace {

using torch::jit::Node;
using torch::jit::Value;

/// Maps the frozen forward graph to ops.
class TorchScriptGraphReader : public TorchScriptOpContext {
public:
    TorchScriptGraphReader(
        const torch::jit::Module& module, std::shared_ptr<torch::jit::Graph> graph, std::string sourceName)
        : module_(module)
        , graph_(std::move(graph))
        , sourceName_(std::move(sourceName))
        , scalars_([this](const Value* value) { return rankOfValue(value); },
              [this](const Value* value, int64_t dim) { return sampleSize(value, dim); })
    {
    }

    ImportedNetwork read(const std::vector<int64_t>& inputShape, std::vector<std::string>& notes)
    {
        const auto inputs = graph_->inputs();
        ND_CHECK(inputs.size() == 2, sourceName_, ": forward takes ", inputs.size() - 1,
            " inputs; Netdraft networks take one tensor");
        self_ = inputs[0];
        values_[inputs[1]] = -1;
        // Without a shape only a network that starts with a Linear imports (N×features).
        ranks_[-1] = inputShape.empty() ? 2 : static_cast<int>(inputShape.size()) + 1;
        network_.inputShape = inputShape;
        for (Node* node : graph_->nodes())
            readNode(node);
        reportUnmapped();
        const auto outputs = graph_->outputs();
        ND_CHECK(outputs.size() == 1 && values_.count(outputs[0]), sourceName_, ": forward returns ",
            outputs.size() == 1 ? outputs[0]->type()->str() : std::to_string(outputs.size()) + " values",
            "; Netdraft networks return one tensor");
        network_.outputOp = values_.at(outputs[0]);
        if (network_.inputShape.empty())
            network_.inputShape = obviousInputShape();
        std::map<std::string, int> calls;
        for (const ImportedOp& op : network_.ops)
            if (!op.weights.empty())
                ++calls[op.modulePath];
        for (const auto& [module, count] : calls)
            if (count > 1)
                notes.push_back("module " + module + " is called " + std::to_string(count)
                    + " times: each call is a block of its own with a copy of the weights (they train apart)");
        return network_;
    }

private:
    // ---- Values --------------------------------------------------------------------------------

    /// A GetAttr chain from the module: the path of names and the object it reaches.
    struct Attribute {
        std::vector<std::string> path;
        c10::IValue value;
    };

    std::optional<Attribute> attribute(const Value* value)
    {
        if (value == self_)
            return Attribute { {}, module_._ivalue() };
        const Node* node = value->node();
        if (node->kind() != c10::prim::GetAttr)
            return std::nullopt;
        std::optional<Attribute> parent = attribute(node->input(0));
        if (!parent || !parent->value.isObject())
            return std::nullopt;
        const std::string name = node->s(c10::attr::name);
        const auto object = parent->value.toObject();
        if (!object->type()->hasAttribute(name))
            return std::nullopt;
        Attribute result { parent->path, object->getAttr(name) };
        result.path.push_back(name);
        if (result.value.isObject())
            network_.moduleTypes[joinNames(result.path, ".")] = torchClassName(result.value.toObject()->type());
        return result;
    }

    /// A tensor attribute (weight, bias, running_mean) with its module path; an undefined tensor for None.
    torch::Tensor tensorAttribute(const Value* value, std::string* modulePath) override
    {
        if (auto constant = torch::jit::toIValue(value); constant && constant->isNone())
            return {};
        if (auto constant = torch::jit::toIValue(value); constant && constant->isTensor())
            return constant->toTensor();
        std::optional<Attribute> found = attribute(value);
        if (!found)
            throw UnmappedOp { "its weights are computed, not module attributes" };
        if (found->value.isNone())
            return {};
        if (!found->value.isTensor())
            throw UnmappedOp { "attribute " + joinNames(found->path, ".") + " is not a tensor" };
        if (modulePath && found->path.size() > 1)
            *modulePath = joinNames(std::vector<std::string>(found->path.begin(), found->path.end() - 1), ".");
        return found->value.toTensor();
    }

    /// The op producing tensor `value`.
    int source(const Value* value)
    {
        if (timeFirst_.count(value))
            throw UnmappedOp { "its input has time first and the batch second (x.transpose(0, 1)), which only "
                               "a recurrent module or a time step's select reads" };
        return sourceOf(value);
    }

    /// The op producing `value`, swapped or not.
    int sourceOf(const Value* value)
    {
        if (auto extra = extraOutputs_.find(value); extra != extraOutputs_.end())
            throw UnmappedOp { "it reads " + extra->second
                + ", which has no block (only the op's first result has; an LSTM's final state (h, c) is one)" };
        if (madeTensors_.count(value))
            throw UnmappedOp { "its input is a tensor made while running ("
                + std::string(value->node()->kind().toQualString()) + "), which no block holds" };
        auto found = values_.find(value);
        if (found == values_.end())
            throw UnmappedOp { "its input comes from an op that has no block" };
        return found->second;
    }

    // ---- TorchScriptOpContext -------------------------------------------------------------------

    int input(ImportedOp& op, const Value* value) override
    {
        const int from = timeFirst_.count(value) ? sourceOf(value) : source(value);
        op.inputs.push_back(from);
        return from;
    }

    int rankOf(int op) const override
    {
        auto found = ranks_.find(op);
        return found == ranks_.end() ? 0 : found->second;
    }

    void setOutputRank(int rank) override { outputRank_ = rank; }
    void setOutputTimeFirst() override { outputTimeFirst_ = true; }
    std::optional<c10::IValue> scalar(const Value* value) override { return scalars_.fold(value); }
    bool timeFirst(const Value* value) const override { return timeFirst_.count(value) > 0; }

    void alias(const Value* output, const Value* value, bool swapped) override
    {
        values_[output] = sourceOf(value);
        if (swapped)
            timeFirst_.insert(output);
    }

    int rankOfValue(const Value* value) const
    {
        auto found = values_.find(value);
        return found == values_.end() ? 0 : rankOf(found->second);
    }

    /// A size of the network input's sample (dimension `dim` ≥ 1), when the input shape was given.
    std::optional<int64_t> sampleSize(const Value* value, int64_t dim) const
    {
        auto found = values_.find(value);
        if (found == values_.end() || found->second != -1 || timeFirst_.count(value)
            || dim > static_cast<int64_t>(network_.inputShape.size()))
            return std::nullopt;
        return network_.inputShape[static_cast<size_t>(dim - 1)];
    }

    // ---- Nodes ---------------------------------------------------------------------------------

    void readNode(Node* node)
    {
        const std::string kind = node->kind().toQualString();
        if (node->kind() == c10::prim::Constant || node->kind() == c10::prim::GetAttr || node->outputs().empty())
            return; // loops filling lists and checks without results: read where their values are used
        if (readTuple(node))
            return;
        const bool producesTensor
            = std::any_of(node->outputs().begin(), node->outputs().end(), [](const Value* output) {
                  return output->type()->isSubtypeOf(*c10::TensorType::get()) || output->type()->cast<c10::TupleType>();
              });
        if (!producesTensor)
            return; // sizes, lists, numbers: read where a mapped op uses them
        if (node->kind() == c10::aten::zeros || node->kind() == c10::prim::Uninitialized) {
            for (const Value* output : node->outputs()) // a recurrent module's starting state, an unset branch
                madeTensors_.insert(output);
            return;
        }
        if (node->kind() == c10::prim::If) {
            readBranch(node);
            return;
        }
        if (readsUnmapped(node)) { // only the first op without a block is reported, not all after it
            for (const Value* output : node->outputs())
                unmappedValues_.insert(output);
            return;
        }
        std::string inPlaceFree = kind;
        const bool inPlace = kind.size() > 1 && kind.back() == '_' && kind[kind.size() - 2] != '_';
        if (inPlace)
            inPlaceFree.pop_back();
        ImportedOp op;
        op.modulePath = calledInModule(node);
        outputTimeFirst_ = false;
        try {
            if (passThrough(inPlaceFree)) {
                values_[node->output(0)] = source(node->input(0));
                return;
            }
            if (!map(inPlaceFree, node, op)) {
                unmapped(node, kind, "no Netdraft block does this");
                return;
            }
        } catch (const UnmappedOp& why) {
            unmapped(node, kind, why.reason);
            return;
        }
        if (op.layerType.empty())
            return; // an alias of its input (x[:, :], x.transpose(0, 1) of a sequence)
        const int index = static_cast<int>(network_.ops.size());
        ranks_[index] = outputRank_;
        network_.ops.push_back(std::move(op));
        values_[node->output(0)] = index;
        if (outputTimeFirst_)
            timeFirst_.insert(node->output(0));
        for (size_t i = 1; i < node->outputs().size(); ++i)
            extraOutputs_[node->output(i)] = "result " + std::to_string(i + 1) + " of " + kind;
        if (inPlace) // later readers of the input see what the op wrote into it
            values_[node->input(0)] = index;
    }

    /// A branch whose condition is known before running (scripted modules test their input's rank)
    /// reads as the branch taken.
    void readBranch(Node* node)
    {
        std::optional<size_t> taken = scalars_.branchTaken(node);
        if (!taken) {
            unmapped(node, "prim::If", "it branches on a value computed while running");
            return;
        }
        torch::jit::Block* block = node->blocks()[*taken];
        for (Node* inner : block->nodes())
            readNode(inner);
        for (size_t i = 0; i < node->outputs().size(); ++i)
            link(node->output(i), block->outputs()[i]);
    }

    /// Tuples of tensors (an LSTM's (h, c), a branch returning both) are followed to their items:
    /// prim::TupleConstruct, prim::TupleUnpack, prim::TupleIndex. False for other nodes.
    bool readTuple(Node* node)
    {
        if (node->kind() == c10::prim::TupleConstruct) {
            tupleItems_[node->output()] = std::vector<const Value*>(node->inputs().begin(), node->inputs().end());
            return true;
        }
        if (node->kind() != c10::prim::TupleUnpack && node->kind() != c10::prim::TupleIndex)
            return false;
        auto items = tupleItems_.find(node->input(0));
        if (items == tupleItems_.end())
            return false; // a tuple from an op without a block: reported as that op
        if (node->kind() == c10::prim::TupleUnpack) {
            for (size_t i = 0; i < node->outputs().size() && i < items->second.size(); ++i)
                link(node->output(i), items->second[i]);
            return true;
        }
        std::optional<c10::IValue> index = scalars_.fold(node->input(1));
        if (!index || !index->isInt() || index->toInt() < 0
            || index->toInt() >= static_cast<int64_t>(items->second.size()))
            return false;
        link(node->output(), items->second[static_cast<size_t>(index->toInt())]);
        return true;
    }

    /// `output` stands for `result` (a branch's or a tuple's item) from here on.
    void link(const Value* output, const Value* result)
    {
        if (auto found = values_.find(result); found != values_.end())
            values_[output] = found->second;
        if (timeFirst_.count(result))
            timeFirst_.insert(output);
        if (unmappedValues_.count(result))
            unmappedValues_.insert(output);
        if (madeTensors_.count(result))
            madeTensors_.insert(output);
        if (auto extra = extraOutputs_.find(result); extra != extraOutputs_.end())
            extraOutputs_[output] = extra->second;
        if (auto items = tupleItems_.find(result); items != tupleItems_.end())
            tupleItems_[output] = items->second;
    }

    static bool passThrough(const std::string& kind)
    {
        static const std::set<std::string> kinds { "aten::contiguous", "aten::detach", "aten::clone" };
        return kinds.count(kind) > 0;
    }

    void unmapped(Node* node, const std::string& kind, const std::string& reason)
    {
        std::string module = calledInModule(node);
        for (const Value* input : node->inputs()) // a module's weights name it better than its caller
            if (module.empty())
                if (std::optional<Attribute> found = attribute(input); found && found->path.size() > 1)
                    module = joinNames(std::vector<std::string>(found->path.begin(), found->path.end() - 1), ".");
        // Read on as if the op passed its first input through, so that every op without a block is
        // listed, not only the first; ops that need what cannot be followed are left out of the list.
        const bool followable = node->inputs().size() > 0 && node->outputs().size() == 1
            && values_.count(node->input(0)) && !unmappedValues_.count(node->input(0));
        for (const Value* output : node->outputs())
            if (followable)
                values_[output] = values_.at(node->input(0));
            else
                unmappedValues_.insert(output);
        UnmappedOp& entry = unmappedReasons_[kind];
        if (entry.reason.empty())
            entry.reason = reason;
        unmappedModules_[kind].push_back(module.empty() ? "forward" : module);
    }

    /// Whether a tensor the node reads (directly or through a list) comes from an op without a block.
    bool readsUnmapped(const Node* node) const
    {
        for (const Value* input : node->inputs()) {
            if (unmappedValues_.count(input))
                return true;
            if (input->node()->kind() == c10::prim::ListConstruct)
                for (const Value* item : input->node()->inputs())
                    if (unmappedValues_.count(item))
                        return true;
        }
        return false;
    }

    void reportUnmapped()
    {
        if (unmappedModules_.empty())
            return;
        size_t total = 0;
        for (const auto& [kind, modules] : unmappedModules_)
            total += modules.size();
        std::ostringstream message;
        message << sourceName_ << ": " << total << (total == 1 ? " operation has" : " operations have")
                << " no Netdraft block, so nothing was imported:";
        for (const auto& [kind, modules] : unmappedModules_) {
            message << "\n  " << kind << " ×" << modules.size() << " (" << unmappedReasons_[kind].reason << ") in ";
            std::vector<std::string> distinct;
            for (const std::string& module : modules)
                if (std::find(distinct.begin(), distinct.end(), module) == distinct.end())
                    distinct.push_back(module);
            const size_t shown = std::min<size_t>(distinct.size(), 4);
            message << joinNames(
                std::vector<std::string>(distinct.begin(), distinct.begin() + static_cast<long>(shown)), ", ");
            if (distinct.size() > shown)
                message << " and " << distinct.size() - shown << " more";
        }
        throw Error(message.str());
    }

    /// Sets `op` from the node; false when the kind has no block. Sets outputRank_.
    bool map(const std::string& kind, Node* node, ImportedOp& op)
    {
        auto input = [&](size_t index) {
            const int from = source(node->input(index));
            op.inputs.push_back(from);
            return from;
        };
        auto weights = [&](std::initializer_list<std::pair<const char*, size_t>> names) {
            for (const auto& [name, index] : names) {
                std::string module;
                torch::Tensor tensor = tensorAttribute(node->input(index), &module);
                if (tensor.defined())
                    op.weights.emplace_back(name, tensor);
                if (!module.empty())
                    op.modulePath = module;
            }
        };
        auto simple = [&](const char* type) { // one input, output of the same rank
            op.layerType = type;
            outputRank_ = rankOf(input(0));
            return true;
        };
        return mapWeighted(kind, node, op, input, weights) || mapActivation(kind, node, op, simple)
            || mapRecurrentOp(kind, node, op, *this) || mapShapeOp(kind, node, op, *this)
            || mapArithmeticOp(kind, node, op, *this) || mapStructure(kind, node, op, input, simple);
    }

    /// Layers with weights: convolutions, Linear, normalisations, Embedding.
    template <typename Input, typename Weights>
    bool mapWeighted(const std::string& kind, Node* node, ImportedOp& op, Input& input, Weights& weights)
    {
        if (kind == "aten::conv1d" || kind == "aten::conv2d" || kind == "aten::conv3d")
            return convolution(node, op, input, weights, kind == "aten::conv1d" ? 1 : kind == "aten::conv2d" ? 2 : 3);
        if (kind == "aten::_convolution")
            return legacyConvolution(node, op, input, weights);
        if (kind == "aten::conv_transpose2d")
            return transposedConvolution(node, op, input, weights, 3, 5, 6, 7);
        if (kind == "aten::linear") {
            op.layerType = "Linear";
            outputRank_ = rankOf(input(0));
            weights({ { "weight", 1 }, { "bias", 2 } });
            op.params["out_features"] = op.weights.front().second.size(0);
            op.params["bias"] = op.weights.size() > 1;
            return true;
        }
        if (kind == "aten::batch_norm")
            return batchNorm(node, op, input, weights);
        if (kind == "aten::layer_norm") {
            op.layerType = "LayerNorm";
            outputRank_ = rankOf(input(0));
            op.params["normalized_shape"] = integers(node->input(1), "normalized_shape");
            weights({ { "weight", 2 }, { "bias", 3 } });
            op.params["elementwise_affine"] = !op.weights.empty();
            op.params["eps"] = real(node->input(4), "eps");
            return true;
        }
        if (kind == "aten::group_norm") {
            op.layerType = "GroupNorm";
            outputRank_ = rankOf(input(0));
            op.params["num_groups"] = integer(node->input(1), "num_groups");
            weights({ { "weight", 2 }, { "bias", 3 } });
            op.params["affine"] = !op.weights.empty();
            op.params["eps"] = real(node->input(4), "eps");
            return true;
        }
        if (kind == "aten::instance_norm")
            return instanceNorm(node, op, input, weights);
        if (kind == "aten::prelu") {
            op.layerType = "PReLU";
            outputRank_ = rankOf(input(0));
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
            outputRank_ = rankOf(from) + 1;
            if (from < 0)
                network_.inputDtype = "int64";
            op.params["num_embeddings"] = op.weights.front().second.size(0);
            op.params["embedding_dim"] = op.weights.front().second.size(1);
            return true;
        }
        return false;
    }

    template <typename Simple> bool mapActivation(const std::string& kind, Node* node, ImportedOp& op, Simple& simple)
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

    /// Pooling, reshaping, dropout and merging.
    template <typename Input, typename Simple>
    bool mapStructure(const std::string& kind, Node* node, ImportedOp& op, Input& input, Simple& simple)
    {
        if (kind == "aten::max_pool2d" || kind == "aten::avg_pool2d" || kind == "aten::max_pool1d"
            || kind == "aten::avg_pool1d")
            return pooling(kind, node, op, input);
        if (kind == "aten::adaptive_avg_pool2d") {
            op.params["output_size"] = integers(node->input(1), "output_size");
            return simple("AdaptiveAvgPool2d");
        }
        if (kind == "aten::adaptive_max_pool2d") { // its second output, the indices, has no block
            op.params["output_size"] = integers(node->input(1), "output_size");
            return simple("AdaptiveMaxPool2d");
        }
        if (kind == "aten::adaptive_avg_pool1d") {
            op.params["output_size"] = integers(node->input(1), "output_size");
            return simple("AdaptiveAvgPool1d");
        }
        if (kind == "aten::flatten") {
            op.layerType = "Flatten";
            const int from = input(0);
            const int rank = rankOf(from);
            int64_t start = integer(node->input(1), "start_dim");
            int64_t end = integer(node->input(2), "end_dim");
            const int64_t startIndex = start < 0 ? start + rank : start;
            const int64_t endIndex = end < 0 ? end + rank : end;
            if (startIndex < 1)
                throw UnmappedOp { "flattening the batch dimension has no block" };
            op.params["start_dim"] = start;
            op.params["end_dim"] = end;
            outputRank_ = rank - static_cast<int>(endIndex - startIndex);
            return true;
        }
        if (kind == "aten::view" || kind == "aten::reshape")
            return reshape(node, op, input);
        if (kind == "aten::dropout" || kind == "aten::feature_dropout") {
            op.params["p"] = real(node->input(1), "p");
            return simple(kind == "aten::dropout" ? "Dropout" : "Dropout2d");
        }
        if (kind == "aten::cat")
            return concat(node, op);
        return false;
    }

    template <typename Input, typename Weights>
    bool convolution(Node* node, ImportedOp& op, Input& input, Weights& weights, int dimensions)
    {
        op.layerType = "Conv" + std::to_string(dimensions) + "d";
        input(0);
        outputRank_ = dimensions + 2;
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

    template <typename Input, typename Weights>
    bool legacyConvolution(Node* node, ImportedOp& op, Input& input, Weights& weights)
    {
        // _convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups, …)
        if (flag(node->input(6), "transposed"))
            return transposedConvolution(node, op, input, weights, 3, 4, 7, 8, 5);
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
        outputRank_ = static_cast<int>(weight.dim());
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
    template <typename Input, typename Weights>
    bool transposedConvolution(Node* node, ImportedOp& op, Input& input, Weights& weights, size_t stride,
        size_t padding, size_t outputPadding, size_t groups, size_t dilation = 7)
    {
        op.layerType = "ConvTranspose2d";
        input(0);
        outputRank_ = 4;
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

    template <typename Input, typename Weights>
    bool batchNorm(Node* node, ImportedOp& op, Input& input, Weights& weights)
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
        outputRank_ = rank;
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

    template <typename Input, typename Weights>
    bool instanceNorm(Node* node, ImportedOp& op, Input& input, Weights& weights)
    {
        // instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps, cudnn)
        const int from = input(0);
        const int rank = rankOf(from);
        if (rank != 3 && rank != 4)
            throw UnmappedOp { "instance norm over " + std::to_string(rank) + "-D values has no block" };
        op.layerType = rank == 3 ? "InstanceNorm1d" : "InstanceNorm2d";
        outputRank_ = rank;
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

    template <typename Input> bool pooling(const std::string& kind, Node* node, ImportedOp& op, Input& input)
    {
        // max_pool2d(input, kernel, stride, padding, dilation, ceil_mode)
        // avg_pool2d(input, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)
        const bool max = kind == "aten::max_pool2d" || kind == "aten::max_pool1d";
        const bool oneDimensional = kind == "aten::max_pool1d" || kind == "aten::avg_pool1d";
        op.layerType = std::string(max ? "MaxPool" : "AvgPool") + (oneDimensional ? "1d" : "2d");
        outputRank_ = rankOf(input(0));
        const IntList kernel = integers(node->input(1), "kernel_size");
        IntList stride = integers(node->input(2), "stride");
        op.params["kernel_size"] = kernel;
        op.params["stride"] = stride.empty() ? kernel : stride;
        op.params["padding"] = integers(node->input(3), "padding");
        if (max) {
            op.params["dilation"] = integers(node->input(4), "dilation");
            op.params["ceil_mode"] = flag(node->input(5), "ceil_mode");
        } else {
            op.params["ceil_mode"] = flag(node->input(4), "ceil_mode");
            op.params["count_include_pad"] = flag(node->input(5), "count_include_pad");
            if (node->inputs().size() > 6 && !isNone(node->input(6)))
                throw UnmappedOp { "divisor_override has no block parameter" };
        }
        return true;
    }

    /// view/reshape to (batch, …): the batch size read from the input (x.size(0)) or -1 first.
    template <typename Input> bool reshape(Node* node, ImportedOp& op, Input& input)
    {
        op.layerType = "Reshape";
        input(0);
        const Value* shape = node->input(1);
        IntList sizes;
        if (auto known = torch::jit::toIValue(shape)) {
            if (!known->isIntList())
                throw UnmappedOp { "the new shape is not a list of integers" };
            const auto list = known->toIntVector();
            sizes.assign(list.begin(), list.end());
            if (sizes.empty() || sizes.front() != -1)
                throw UnmappedOp { "a constant shape fixes the batch size; only -1 or x.size(0) first has a block" };
        } else if (shape->node()->kind() == c10::prim::ListConstruct && shape->node()->inputs().size() >= 1) {
            if (!isBatchSize(shape->node()->input(0)))
                throw UnmappedOp { "the new shape's first size is computed; only x.size(0) or -1 has a block" };
            sizes.push_back(-1);
            for (size_t i = 1; i < shape->node()->inputs().size(); ++i)
                sizes.push_back(integer(shape->node()->input(i), "size"));
        } else {
            throw UnmappedOp { "the new shape is computed while running" };
        }
        sizes.erase(sizes.begin());
        if (sizes.empty())
            throw UnmappedOp { "reshaping to the batch dimension alone has no block" };
        op.params["shape"] = sizes;
        outputRank_ = static_cast<int>(sizes.size()) + 1;
        return true;
    }

    /// Whether `value` is x.size(0) (possibly through the tracer's NumToTensor and Int).
    bool isBatchSize(const Value* value)
    {
        const Node* node = value->node();
        while (node->kind() == c10::aten::Int || node->kind() == c10::prim::NumToTensor)
            node = node->input(0)->node();
        if (node->kind() != c10::aten::size || node->inputs().size() != 2)
            return false;
        auto dim = torch::jit::toIValue(node->input(1));
        return dim && dim->isInt() && dim->toInt() == 0;
    }

    bool concat(Node* node, ImportedOp& op)
    {
        const Node* list = node->input(0)->node();
        if (list->kind() != c10::prim::ListConstruct)
            throw UnmappedOp { "the list of tensors is computed while running" };
        for (const Value* item : list->inputs())
            op.inputs.push_back(source(item));
        if (op.inputs.size() < 2)
            throw UnmappedOp { "Concat needs at least two inputs" };
        op.layerType = "Concat";
        op.params["num_inputs"] = static_cast<int64_t>(op.inputs.size());
        op.params["dim"] = integer(node->input(1), "dim");
        outputRank_ = rankOf(op.inputs.front());
        return true;
    }

    /// The input shape when the first op on the input says it: a Linear's in_features.
    std::vector<int64_t> obviousInputShape() const
    {
        for (const ImportedOp& op : network_.ops) {
            if (std::find(op.inputs.begin(), op.inputs.end(), -1) == op.inputs.end())
                continue;
            if (op.layerType == "Linear" && !op.weights.empty())
                return { op.weights.front().second.size(1) };
            std::string hint;
            if (op.layerType.rfind("Conv", 0) == 0 && op.layerType != "ConvTranspose2d" && !op.weights.empty()) {
                const torch::Tensor& weight = op.weights.front().second;
                const int64_t groups = std::get<int64_t>(op.params.at("groups"));
                hint = ": the first layer, " + op.modulePath + ", takes " + std::to_string(weight.size(1) * groups)
                    + " channels";
            }
            ND_CHECK(false, sourceName_,
                ": a TorchScript file does not say how large one input sample is; give its "
                "shape without the batch dimension (netdraft-cli import --input-shape, e.g. 3,224,224)",
                hint);
        }
        ND_CHECK(false, sourceName_, ": give the input shape (netdraft-cli import --input-shape)");
        return {};
    }

    const torch::jit::Module& module_;
    std::shared_ptr<torch::jit::Graph> graph_;
    std::string sourceName_;
    const Value* self_ = nullptr;
    ImportedNetwork network_;
    std::map<const Value*, int> values_; ///< tensor value → op producing it (-1: the input)
    std::map<int, int> ranks_; ///< op → rank of its output with the batch (0: unknown)
    int outputRank_ = 0;
    bool outputTimeFirst_ = false;
    TorchScriptScalars scalars_;
    std::set<const Value*> timeFirst_; ///< sequences with time first and the batch second, as x.transpose(0, 1)
    std::set<const Value*> madeTensors_; ///< tensors the graph makes (aten::zeros), not ops with a block
    std::map<const Value*, std::string> extraOutputs_; ///< results after an op's first, which have no block
    std::map<const Value*, std::vector<const Value*>> tupleItems_; ///< a tuple → the values it holds
    std::map<std::string, UnmappedOp> unmappedReasons_;
    std::map<std::string, std::vector<std::string>> unmappedModules_;
    std::set<const Value*> unmappedValues_; ///< results of ops without a block, and of everything after them
};

} // namespace

ImportedNetwork readTorchScriptNetwork(const std::string& bytes, const std::string& sourceName,
    const std::vector<int64_t>& inputShape, std::vector<std::string>& notes)
{
    FrozenTorchScript frozen = loadFrozenTorchScript(bytes, sourceName);
    TorchScriptGraphReader reader(frozen.module, frozen.forward, sourceName);
    return reader.read(inputShape, notes);
}

} // namespace netdraft::engine
