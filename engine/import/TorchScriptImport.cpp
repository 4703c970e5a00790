#include "engine/import/TorchScriptImport.h"

#include "engine/core/Error.h"
#include "engine/import/ChannelAffineImport.h"
#include "engine/import/RecurrentLastStep.h"
#include "engine/import/TorchScriptLoading.h"
#include "engine/import/TorchScriptOpContext.h"
#include "engine/import/TorchScriptOpShapes.h"
#include "engine/import/TorchScriptOpaque.h"
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
        const torch::jit::Module& module, std::shared_ptr<torch::jit::Graph> graph, std::string sourceName,
        bool keepUnsupported)
        : module_(module)
        , graph_(std::move(graph))
        , sourceName_(std::move(sourceName))
        , keepUnsupported_(keepUnsupported)
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
        if (!inputShape.empty()) {
            std::vector<int64_t> sample { Shape::kBatch };
            sample.insert(sample.end(), inputShape.begin(), inputShape.end());
            shapes_.emplace(-1, Shape(sample));
        }
        network_.inputShape = inputShape;
        for (Node* node : graph_->nodes())
            readNode(node);
        reportUnmapped();
        const auto outputs = graph_->outputs();
        ND_CHECK(outputs.size() == 1 && values_.count(outputs[0]), sourceName_, ": forward returns ",
            outputs.size() == 1 ? outputs[0]->type()->str() : std::to_string(outputs.size()) + " values",
            "; Netdraft networks return one tensor");
        network_.outputOp = values_.at(outputs[0]);
        foldLastTimeSteps(network_, sourceName_);
        joinChannelAffines(network_); // (x - mean) / std, x * scale + shift: one block each
        if (!opaqueKinds_.empty())
            notes.push_back(opaqueNote(opaqueKinds_));
        if (network_.inputShape.empty())
            network_.inputShape = obviousInputShape();
        std::map<std::string, int> calls;
        for (const ImportedOp& op : network_.ops)
            if (!op.weights.empty())
                ++calls[op.modulePath];
        for (const auto& [module, count] : calls)
            if (count > 1 && !module.empty()) // the top module's own ops are no calls of a module
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

    const ImportedOp& mappedOp(int index) const override { return network_.ops.at(static_cast<size_t>(index)); }
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

    /// Size `dim` (≥ 1) of one sample of tensor `value`, when the shapes up to it are known.
    std::optional<int64_t> sampleSize(const Value* value, int64_t dim) const
    {
        auto found = values_.find(value);
        if (found == values_.end() || timeFirst_.count(value))
            return std::nullopt;
        auto shape = shapes_.find(found->second);
        if (shape == shapes_.end() || dim >= shape->second.rank() || shape->second[dim] == Shape::kBatch)
            return std::nullopt;
        return shape->second[dim];
    }

    /// `op`'s output shape, as its block infers it from its inputs' (when they are all known).
    void recordShape(int index, const ImportedOp& op)
    {
        std::vector<Shape> inputs;
        for (int from : op.inputs) {
            auto shape = shapes_.find(from);
            if (shape == shapes_.end())
                return;
            inputs.push_back(shape->second);
        }
        if (std::optional<Shape> shape = importedOpShape(op, inputs)) {
            shapes_.emplace(index, *shape);
            ranks_[index] = static_cast<int>(shape->rank());
        }
    }

    // ---- Nodes ---------------------------------------------------------------------------------

    void readNode(Node* node)
    {
        const std::string kind = node->kind().toQualString();
        if (node->kind() == c10::prim::Constant || node->kind() == c10::prim::GetAttr || node->outputs().empty())
            return; // loops filling lists and checks without results: read where their values are used
        if (readTuple(node) || readPieces(node))
            return;
        const bool producesTensor
            = std::any_of(node->outputs().begin(), node->outputs().end(), [](const Value* output) {
                  return output->type()->isSubtypeOf(*c10::TensorType::get()) || output->type()->cast<c10::TupleType>();
              });
        if (!producesTensor)
            return; // sizes, lists, numbers: read where a mapped op uses them
        if (node->outputs().size() == 1 && scalars_.fold(node->output())) // sizes a trace made tensors of
            return;
        if (node->kind() == c10::aten::zeros || node->kind() == c10::prim::Uninitialized
            || node->kind() == c10::prim::NumToTensor) {
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
                keepOrList(node, kind, "no Netdraft block does this", inPlace);
                return;
            }
        } catch (const UnmappedOp& why) {
            keepOrList(node, kind, why.reason, inPlace);
            return;
        }
        if (op.layerType == "Embedding" && op.inputs.back() == -1)
            network_.inputDtype = "int64"; // token ids
        if (op.layerType.empty())
            return; // an alias of its input (x[:, :], x.transpose(0, 1) of a sequence)
        const int index = static_cast<int>(network_.ops.size());
        ranks_[index] = outputRank_;
        recordShape(index, op);
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

    /// q, k, v = x.chunk(3, dim) and x.split(sizes, dim), unpacked: one Slice block per piece (the
    /// size of the dimension must be known). False for other nodes.
    bool readPieces(Node* node)
    {
        if (node->kind() != c10::prim::ListUnpack)
            return false;
        Node* pieces = node->input(0)->node();
        const std::string kind = pieces->kind().toQualString();
        if (kind != "aten::chunk" && kind != "aten::split" && kind != "aten::split_with_sizes")
            return false;
        if (readsUnmapped(pieces)) {
            for (const Value* output : node->outputs())
                unmappedValues_.insert(output);
            return true;
        }
        try {
            const int from = source(pieces->input(0));
            const int rank = rankOf(from);
            const int64_t dim = resolved(integer(pieces->input(2), "dim"), rank);
            const std::optional<int64_t> size = sampleSize(pieces->input(0), dim);
            if (dim <= 0 || !size)
                throw UnmappedOp { dim <= 0 ? "splitting the batch has no block"
                                            : "the size of the dimension it splits is not known before running" };
            IntList sizes;
            if (kind == "aten::chunk") {
                const int64_t count = integer(pieces->input(1), "chunks");
                const int64_t piece = count > 0 ? (*size + count - 1) / count : 0;
                for (int64_t start = 0; piece > 0 && start < *size; start += piece)
                    sizes.push_back(std::min(piece, *size - start));
            } else if (const c10::IValue given = constant(pieces->input(1), "split_size"); given.isInt()) {
                for (int64_t start = 0; given.toInt() > 0 && start < *size; start += given.toInt())
                    sizes.push_back(std::min(given.toInt(), *size - start));
            } else {
                sizes = integers(pieces->input(1), "split_sizes");
            }
            if (sizes.size() != node->outputs().size())
                throw UnmappedOp { std::to_string(sizes.size()) + " pieces unpacked into "
                    + std::to_string(node->outputs().size()) + " values" };
            int64_t start = 0;
            for (size_t i = 0; i < sizes.size(); ++i) {
                ImportedOp op;
                op.modulePath = calledInModule(pieces);
                op.layerType = "Slice";
                op.inputs = { from };
                op.params = { { "dim", dim }, { "start", start }, { "end", start + sizes[i] } };
                start += sizes[i];
                const int index = static_cast<int>(network_.ops.size());
                ranks_[index] = rank;
                recordShape(index, op);
                network_.ops.push_back(std::move(op));
                values_[node->output(i)] = index;
            }
        } catch (const UnmappedOp& why) {
            unmapped(pieces, kind, why.reason);
            for (const Value* output : node->outputs())
                unmappedValues_.insert(output);
        }
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

    /// Keeps `node` as an Opaque block when the user asked for it and it can be, else lists it.
    void keepOrList(Node* node, const std::string& kind, const std::string& reason, bool inPlace)
    {
        if (!keepUnsupported_) {
            unmapped(node, kind, reason);
            return;
        }
        try {
            keepOpaque(node, kind, inPlace);
        } catch (const UnmappedOp& why) {
            unmapped(node, kind, reason + "; not kept as an opaque block: " + why.reason);
        }
    }

    /// Adds `node` as an Opaque block: its tensors come from blocks of known shapes, the rest is known
    /// before running, and running it alone gives its output's shape. Throws UnmappedOp saying why not.
    void keepOpaque(Node* node, const std::string& kind, bool inPlace)
    {
        std::vector<TorchScriptOpaqueInput> inputs;
        std::vector<int> sources;
        for (const Value* value : node->inputs()) {
            TorchScriptOpaqueInput input;
            input.value = value;
            if (auto constant = torch::jit::toIValue(value)) { // c10::optional: not std::optional, which IValue would wrap
                input.known = *constant;
            } else if (value->type()->isSubtypeOf(*c10::TensorType::get())) {
                const int from = source(value);
                auto shape = shapes_.find(from);
                if (shape == shapes_.end())
                    throw UnmappedOp { "the shape of its input is not known before running" };
                input.shape = shape->second;
                input.tokenIds = from == -1 && network_.inputDtype == "int64";
                sources.push_back(from);
            } else {
                input.known = scalars_.fold(value);
            }
            inputs.push_back(std::move(input));
        }
        const std::string module = calledInModule(node);
        UnsupportedOperator unsupported
            = describeTorchScriptOperator(node, inputs, module.empty() ? "forward" : module);
        const int index = static_cast<int>(network_.ops.size());
        ranks_[index] = static_cast<int>(unsupported.outputShape.size()) + 1;
        shapes_.emplace(index, Shape::batched(unsupported.outputShape));
        network_.ops.push_back(opaqueOp(unsupported, std::move(sources), module));
        values_[node->output(0)] = index;
        if (inPlace)
            values_[node->input(0)] = index;
        ++opaqueKinds_[kind];
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
        if (!keepUnsupported_)
            message << "\nImport with --keep-unsupported to keep them as opaque blocks, to be replaced before training.";
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
        auto simple = [&](const char* type) { // one input, output of the same rank
            op.layerType = type;
            outputRank_ = rankOf(input(0));
            return true;
        };
        return mapLayerOp(kind, node, op, *this) || mapRecurrentOp(kind, node, op, *this)
            || mapShapeOp(kind, node, op, *this) || mapArithmeticOp(kind, node, op, *this)
            || mapStructure(kind, node, op, input, simple);
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
        while (value->node()->kind() == c10::aten::Int || value->node()->kind() == c10::prim::NumToTensor)
            value = value->node()->input(0);
        const Node* node = value->node();
        if (node->kind() == c10::aten::size && node->inputs().size() == 2) {
            auto dim = scalar(node->input(1));
            return dim && dim->isInt() && dim->toInt() == 0;
        }
        // b, t, c = x.size() and x.size()[0]
        const bool first = node->kind() == c10::prim::ListUnpack ? value->offset() == 0
            : node->kind() == c10::aten::__getitem__
            ? [&] {
                  auto index = scalar(node->input(1));
                  return index && index->isInt() && index->toInt() == 0;
              }()
            : false;
        return first && node->input(0)->node()->kind() == c10::aten::size
            && node->input(0)->node()->inputs().size() == 1;
    }

    bool concat(Node* node, ImportedOp& op)
    {
        const Node* list = node->input(0)->node();
        if (list->kind() != c10::prim::ListConstruct)
            throw UnmappedOp { "the list of tensors is computed while running" };
        for (const Value* item : list->inputs())
            op.inputs.push_back(source(item));
        if (op.inputs.size() == 1) { // torch.cat([x]) is x (DenseNet's first layer joins a list of one)
            values_[node->output(0)] = op.inputs.front();
            op.inputs.clear();
            return true; // no layer type: an alias of its input
        }
        if (op.inputs.empty())
            throw UnmappedOp { "joining an empty list of tensors has no block" };
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
    bool keepUnsupported_ = false;
    std::map<std::string, int> opaqueKinds_; ///< op kind → how many were kept as Opaque blocks
    const Value* self_ = nullptr;
    ImportedNetwork network_;
    std::map<const Value*, int> values_; ///< tensor value → op producing it (-1: the input)
    std::map<int, int> ranks_; ///< op → rank of its output with the batch (0: unknown)
    int outputRank_ = 0;
    std::map<int, Shape> shapes_; ///< op → its output shape (batch symbolic), when inferred
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
    const std::vector<int64_t>& inputShape, std::vector<std::string>& notes, bool keepUnsupported)
{
    FrozenTorchScript frozen = loadFrozenTorchScript(bytes, sourceName);
    TorchScriptGraphReader reader(frozen.module, frozen.forward, sourceName, keepUnsupported);
    return reader.read(inputShape, notes);
}

} // namespace netdraft::engine
