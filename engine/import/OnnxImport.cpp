#include "engine/import/OnnxImport.h"

#include "engine/core/Error.h"
#include "engine/import/ChannelAffineImport.h"
#include "engine/import/OnnxModules.h"
#include "engine/import/OnnxNodeMapper.h"
#include "engine/import/OnnxOpaque.h"
#include "engine/import/OnnxRecurrent.h"
#include "engine/import/RecurrentLastStep.h"
#include "engine/import/OnnxValues.h"
#include "engine/io/OnnxProto.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <sstream>

namespace netdraft::engine {

namespace {

/// Checks what check_model does not say clearly: IR version, opsets, tensors kept in other files.
void checkOnnxHeader(const onnx::ModelProto& model, const std::string& sourceName)
{
    ND_CHECK(model.has_graph(), sourceName, ": the ONNX model has no graph");
    ND_CHECK(model.ir_version() >= 3 && model.ir_version() <= onnxproto::kIrVersion, sourceName, ": ONNX IR version ",
        model.ir_version(), " is not supported (this Netdraft reads 3 to ", onnxproto::kIrVersion,
        "); save the model with an older exporter or opset");
    bool defaultDomain = false;
    for (const onnx::OperatorSetIdProto& opset : model.opset_import()) {
        if (!opset.domain().empty() && opset.domain() != "ai.onnx")
            continue; // other domains matter only when a node uses them (listed as unmapped)
        defaultDomain = true;
        ND_CHECK(opset.version() >= kOnnxImportMinOpset && opset.version() <= kOnnxImportMaxOpset, sourceName,
            ": ONNX opset ", opset.version(), " is not supported (this Netdraft reads opsets ", kOnnxImportMinOpset,
            " to ", kOnnxImportMaxOpset, "); export with opset_version between them");
    }
    ND_CHECK(defaultDomain, sourceName, ": the ONNX model imports no opset of the default domain");
    auto external = [&](const onnx::TensorProto& tensor) {
        ND_CHECK(tensor.data_location() != onnx::TensorProto::EXTERNAL && tensor.external_data_size() == 0, sourceName,
            ": tensor '", tensor.name(),
            "' keeps its data in an external file, which is not supported; save the model as one file "
            "(onnx.save_model(model, path, save_as_external_data=False))");
    };
    for (const onnx::TensorProto& tensor : model.graph().initializer())
        external(tensor);
    for (const onnx::NodeProto& node : model.graph().node())
        for (const onnx::AttributeProto& attribute : node.attribute())
            if (attribute.has_t())
                external(attribute.t());
}

/// Maps the nodes of a checked, shape-inferred graph to ops.
class OnnxGraphReader {
public:
    OnnxGraphReader(const onnx::ModelProto& model, std::string sourceName, bool keepUnsupported)
        : graph_(model.graph())
        , sourceName_(std::move(sourceName))
        , keepUnsupported_(keepUnsupported)
        , values_(model, sourceName_)
    {
        for (const onnx::NodeProto& node : graph_.node())
            for (const std::string& input : node.input())
                ++uses_[input];
        for (const onnx::ValueInfoProto& output : graph_.output())
            ++uses_[output.name()];
    }

    ImportedNetwork read(const std::vector<int64_t>& inputShape, std::vector<std::string>& notes)
    {
        readInput(inputShape, notes);
        for (const onnx::NodeProto& node : graph_.node())
            if (node.op_type() == "Constant" && node.domain().empty())
                values_.fold(node); // patterns below read constants that come later in the graph
        findGeluPatterns();
        findSiluPatterns();
        for (const onnx::NodeProto& node : graph_.node())
            readNode(node);
        reportUnmapped();
        ND_CHECK(graph_.output_size() == 1, sourceName_, ": the graph has ", graph_.output_size(),
            " outputs; Netdraft networks return one tensor");
        const std::string& output = graph_.output(0).name();
        auto found = tensors_.find(output);
        ND_CHECK(found != tensors_.end(), sourceName_, ": the graph output '", output,
            "' is not computed from the input by the network's layers");
        network_.outputOp = found->second;
        foldLastTimeSteps(network_, sourceName_);
        joinChannelAffines(network_); // (x - mean) / std, x · scale + shift: one block each
        network_.moduleTypes = onnxModuleTypes(network_.ops);
        if (!opaqueKinds_.empty())
            notes_.push_back(opaqueNote(opaqueKinds_));
        notes.insert(notes.end(), notes_.begin(), notes_.end());
        return network_;
    }

private:
    // ---- Input -------------------------------------------------------------------------------

    void readInput(const std::vector<int64_t>& inputShape, std::vector<std::string>& notes)
    {
        std::vector<const onnx::ValueInfoProto*> inputs;
        for (const onnx::ValueInfoProto& input : graph_.input())
            if (!values_.isConstant(input.name()))
                inputs.push_back(&input);
        ND_CHECK(inputs.size() == 1, sourceName_, ": the graph takes ", inputs.size(),
            " inputs; Netdraft networks take one tensor");
        const onnx::ValueInfoProto& input = *inputs.front();
        ND_CHECK(input.type().has_tensor_type(), sourceName_, ": the input '", input.name(), "' is not a tensor");
        const int32_t elementType = input.type().tensor_type().elem_type();
        ND_CHECK(elementType == onnx::TensorProto::FLOAT || elementType == onnx::TensorProto::INT64, sourceName_,
            ": the input '", input.name(), "' has element type ", elementType, "; float32 and int64 are supported");
        network_.inputDtype = elementType == onnx::TensorProto::FLOAT ? "float32" : "int64";
        const std::vector<int64_t> dims = onnxproto::tensorDims(input);
        ND_CHECK(dims.size() >= 2 || !inputShape.empty(), sourceName_, ": the input '", input.name(), "' has ",
            dims.size(), " dimensions; Netdraft needs the batch first and at least one more");
        if (!inputShape.empty()) {
            network_.inputShape = inputShape;
        } else {
            network_.inputShape.assign(dims.begin() + 1, dims.end());
            ND_CHECK(
                std::all_of(network_.inputShape.begin(), network_.inputShape.end(), [](int64_t s) { return s > 0; }),
                sourceName_, ": the input '", input.name(),
                "' has sizes the file leaves open besides the batch; give one sample's shape "
                "(netdraft-cli import --input-shape, e.g. 3,224,224)");
        }
        if (!dims.empty() && dims.front() > 0)
            notes.push_back("the file fixes the batch size to " + std::to_string(dims.front())
                + "; the imported network takes any batch size");
        tensors_[input.name()] = -1;
    }

    // ---- Nodes -------------------------------------------------------------------------------

    // ---- GELU -------------------------------------------------------------------------------

    /// The value a node's input reads when it is a constant scalar close to `expected`.
    bool isConstantNear(const std::string& name, double expected) const
    {
        std::optional<torch::Tensor> value = values_.constant(name);
        return value && value->numel() == 1 && std::abs(value->to(torch::kDouble).item<double>() - expected) < 1e-4;
    }

    /// torch writes GELU (before opset 20) as x · 0.5 · (1 + erf(x / √2)): Div, Erf, Add, Mul, Mul, each
    /// read only by the next. The chain becomes one GELU block at the last Mul; the others are skipped.
    void findGeluPatterns()
    {
        std::map<std::string, const onnx::NodeProto*> producers;
        std::map<std::string, std::vector<const onnx::NodeProto*>> consumers;
        for (const onnx::NodeProto& node : graph_.node()) {
            for (const std::string& output : node.output())
                producers[output] = &node;
            for (const std::string& input : node.input())
                consumers[input].push_back(&node);
        }
        auto only = [&](const onnx::NodeProto* node, const char* type) -> const onnx::NodeProto* {
            if (node->output_size() != 1 || uses_[node->output(0)] != 1 || consumers[node->output(0)].size() != 1)
                return nullptr;
            const onnx::NodeProto* next = consumers[node->output(0)].front();
            return next->op_type() == type && next->domain().empty() && next->input_size() == 2 ? next : nullptr;
        };
        auto other = [](const onnx::NodeProto* node, const std::string& known) {
            return node->input(0) == known ? node->input(1) : node->input(0);
        };
        for (const onnx::NodeProto& erf : graph_.node()) {
            if (erf.op_type() != "Erf" || erf.input_size() != 1 || !producers.count(erf.input(0)))
                continue;
            const onnx::NodeProto* divide = producers[erf.input(0)];
            if (divide->op_type() != "Div" || divide->input_size() != 2
                || !isConstantNear(divide->input(1), std::sqrt(2.0)) || uses_[divide->output(0)] != 1)
                continue;
            const std::string& x = divide->input(0);
            const onnx::NodeProto* add = only(&erf, "Add");
            const onnx::NodeProto* product = add ? only(add, "Mul") : nullptr;
            const onnx::NodeProto* half = product ? only(product, "Mul") : nullptr;
            if (!half || !isConstantNear(other(add, erf.output(0)), 1.0) || other(product, add->output(0)) != x
                || !isConstantNear(other(half, product->output(0)), 0.5))
                continue;
            for (const onnx::NodeProto* inside : { divide, &erf, add, product })
                fusedInside_.insert(inside);
            fused_[half] = { "GELU", x };
        }
    }

    /// torch writes SiLU (Swish) as x · sigmoid(x): a Sigmoid read only by a Mul whose other operand is
    /// the Sigmoid's own input. One SiLU block at the Mul; a sigmoid gate of other features stays a
    /// Sigmoid and a Multiply.
    void findSiluPatterns()
    {
        std::map<std::string, std::vector<const onnx::NodeProto*>> consumers;
        for (const onnx::NodeProto& node : graph_.node())
            for (const std::string& input : node.input())
                consumers[input].push_back(&node);
        for (const onnx::NodeProto& sigmoid : graph_.node()) {
            if (sigmoid.op_type() != "Sigmoid" || !sigmoid.domain().empty() || sigmoid.input_size() != 1
                || sigmoid.output_size() != 1 || uses_[sigmoid.output(0)] != 1
                || consumers[sigmoid.output(0)].size() != 1)
                continue;
            const onnx::NodeProto* product = consumers[sigmoid.output(0)].front();
            if (product->op_type() != "Mul" || !product->domain().empty() || product->input_size() != 2)
                continue;
            const std::string& x = sigmoid.input(0);
            const std::string& other = product->input(0) == sigmoid.output(0) ? product->input(1) : product->input(0);
            if (other != x)
                continue;
            fusedInside_.insert(&sigmoid);
            fused_[product] = { "SiLU", x };
        }
    }

    void readNode(const onnx::NodeProto& node)
    {
        if (fusedInside_.count(&node))
            return;
        if (auto fused = fused_.find(&node); fused != fused_.end() && !unmappedValues_.count(fused->second.input)) {
            try {
                ImportedOp op;
                op.modulePath = onnxModulePath(node.name());
                op.layerType = fused->second.layerType;
                op.inputs.push_back(source(fused->second.input));
                tensors_[node.output(0)] = static_cast<int>(network_.ops.size());
                network_.ops.push_back(std::move(op));
            } catch (const UnmappedOnnxNode& why) {
                unmapped(node, fused->second.layerType, why.reason);
            }
            return;
        }
        const bool otherDomain = !node.domain().empty() && node.domain() != "ai.onnx";
        const std::string kind = otherDomain ? node.domain() + "::" + node.op_type() : node.op_type();
        if (readsUnmapped(node)) {
            for (const std::string& output : node.output())
                unmappedValues_.insert(output);
            return;
        }
        if (otherDomain) {
            keepOrList(node, kind, "an operator of domain " + node.domain());
            return;
        }
        try {
            if (values_.fold(node))
                return;
            if (recurrent_.read(node, onnxModulePath(node.name())))
                return;
            if (passThrough(node) || absorbBias(node))
                return;
            ImportedOp op;
            op.modulePath = onnxModulePath(node.name());
            if (!mapper_.map(node, op)) {
                keepOrList(node, kind, "no Netdraft block does this");
                return;
            }
            for (int i = 1; i < node.output_size(); ++i)
                if (!node.output(i).empty() && uses_[node.output(i)] > 0)
                    throw UnmappedOnnxNode { "its output " + std::to_string(i + 1)
                        + " is used; only the first has a block" };
            if (op.layerType == "Identity") { // computes nothing (a padding of zero sizes)
                tensors_[node.output(0)] = op.inputs.front();
                return;
            }
            const int index = static_cast<int>(network_.ops.size());
            network_.ops.push_back(std::move(op));
            tensors_[node.output(0)] = index;
            if (node.op_type() == "MatMul")
                matmulOps_.insert(index); // a Linear still without a bias (absorbBias)
            if (std::any_of(node.input().begin(), node.input().end(),
                    [&](const std::string& input) { return followedValues_.count(input) > 0; }))
                followedValues_.insert(node.output(0)); // still downstream of a node without a block
        } catch (const UnmappedOnnxNode& why) {
            // A refusal downstream of an op without a block, on a value whose shape could not be inferred
            // through it, only repeats that op: such nodes are followed, not listed.
            const bool consequence = node.input_size() > 0 && values_.dims(node.input(0)).empty()
                && std::any_of(node.input().begin(), node.input().end(),
                    [&](const std::string& input) { return followedValues_.count(input) > 0; });
            if (consequence)
                unmapped(node, kind, why.reason, false);
            else
                keepOrList(node, kind, why.reason);
        }
    }

    /// Keeps `node` as an Opaque block when the user asked for it and it can be, else lists it.
    void keepOrList(const onnx::NodeProto& node, const std::string& kind, const std::string& reason)
    {
        if (!keepUnsupported_) {
            unmapped(node, kind, reason);
            return;
        }
        const std::string refusal = keepOpaque(node, kind);
        if (!refusal.empty())
            unmapped(node, kind, reason + "; not kept as an opaque block: " + refusal);
    }

    /// Adds `node` as an Opaque block when its data inputs come from blocks, only its first output is
    /// read and its output's sizes are known; otherwise why not.
    std::string keepOpaque(const onnx::NodeProto& node, const std::string& kind)
    {
        std::vector<int> inputs;
        for (const std::string& input : node.input()) {
            if (input.empty() || values_.isConstant(input))
                continue; // described in the block's attributes
            auto found = tensors_.find(input);
            if (found == tensors_.end())
                return "its input '" + input + "' comes from no block";
            inputs.push_back(found->second);
        }
        if (inputs.empty())
            return "it reads no data, only constants";
        for (int i = 1; i < node.output_size(); ++i)
            if (!node.output(i).empty() && uses_[node.output(i)] > 0)
                return "its output " + std::to_string(i + 1) + " is used; an opaque block gives only the first";
        std::optional<UnsupportedOperator> unsupported = describeOnnxOperator(node, values_, kind);
        if (!unsupported)
            return "ONNX shape inference does not give its output's sizes";
        tensors_[node.output(0)] = static_cast<int>(network_.ops.size());
        network_.ops.push_back(opaqueOp(*unsupported, std::move(inputs), onnxModulePath(node.name())));
        ++opaqueKinds_[kind];
        return {};
    }

    bool readsUnmapped(const onnx::NodeProto& node) const
    {
        return std::any_of(node.input().begin(), node.input().end(),
            [&](const std::string& input) { return unmappedValues_.count(input) > 0; });
    }

    void unmapped(const onnx::NodeProto& node, const std::string& kind, const std::string& reason, bool listed = true)
    {
        // Read on as if the node passed its first input through, so that every node without a block is
        // listed, not only the first.
        const bool followable = node.input_size() > 0 && tensors_.count(node.input(0)) && node.output_size() >= 1;
        for (int i = 0; i < node.output_size(); ++i)
            if (followable && i == 0) {
                tensors_[node.output(0)] = tensors_.at(node.input(0));
                followedValues_.insert(node.output(0));
            } else {
                unmappedValues_.insert(node.output(i));
            }
        if (!listed)
            return;
        if (unmappedReasons_[kind].empty())
            unmappedReasons_[kind] = reason;
        unmappedNodes_[kind].push_back(node.name().empty() ? "(unnamed)" : node.name());
    }

    void reportUnmapped() const
    {
        if (unmappedNodes_.empty())
            return;
        size_t total = 0;
        for (const auto& [kind, names] : unmappedNodes_)
            total += names.size();
        std::ostringstream message;
        message << sourceName_ << ": " << total << (total == 1 ? " node has" : " nodes have")
                << " no Netdraft block, so nothing was imported:";
        for (const auto& [kind, names] : unmappedNodes_) {
            message << "\n  " << kind << " ×" << names.size() << " (" << unmappedReasons_.at(kind) << ") at ";
            const size_t shown = std::min<size_t>(names.size(), 4);
            for (size_t i = 0; i < shown; ++i)
                message << (i ? ", " : "") << names[i];
            if (names.size() > shown)
                message << " and " << names.size() - shown << " more";
        }
        if (!keepUnsupported_)
            message << "\nImport with --keep-unsupported to keep them as opaque blocks, to be replaced before training.";
        throw Error(message.str());
    }

    /// Nodes that compute nothing at inference: Identity, and a Concat of one input (DenseNet's first
    /// layer joins a list of one).
    bool passThrough(const onnx::NodeProto& node)
    {
        if (node.op_type() != "Identity" && !(node.op_type() == "Concat" && node.input_size() == 1))
            return false;
        tensors_[node.output(0)] = source(node.input(0));
        return true;
    }

    /// MatMul then Add of a constant vector is one Linear with a bias (what exporters write for
    /// nn.Linear on more than two dimensions): the bias joins the MatMul's Linear.
    bool absorbBias(const onnx::NodeProto& node)
    {
        if (node.op_type() != "Add" || node.input_size() != 2)
            return false;
        for (int side = 0; side < 2; ++side) {
            const std::string& data = node.input(side);
            auto found = tensors_.find(data);
            if (found == tensors_.end() || found->second < 0 || !matmulOps_.count(found->second) || uses_[data] != 1)
                continue;
            std::optional<torch::Tensor> bias = values_.constant(node.input(1 - side));
            ImportedOp& linear = network_.ops[static_cast<size_t>(found->second)];
            const int64_t features = std::get<int64_t>(linear.params.at("out_features"));
            if (!bias || bias->numel() != features || bias->size(-1) != features)
                continue;
            linear.weights.emplace_back("bias", bias->reshape({ features }).to(torch::kFloat));
            linear.params["bias"] = true;
            tensors_[node.output(0)] = found->second;
            matmulOps_.erase(found->second);
            return true;
        }
        return false;
    }

    /// The op producing data tensor `name`.
    int source(const std::string& name) const
    {
        auto found = tensors_.find(name);
        if (found != tensors_.end())
            return found->second;
        if (values_.isConstant(name))
            throw UnmappedOnnxNode { "it reads the constant tensor '" + name + "' where a block takes the data" };
        if (values_.isSymbolic(name))
            throw UnmappedOnnxNode { "it computes on tensor sizes in a way the import does not follow" };
        if (std::string reason = recurrent_.viewReason(name); !reason.empty())
            throw UnmappedOnnxNode { reason };
        if (values_.isZeros(name))
            throw UnmappedOnnxNode { "it reads a tensor of zeros sized while running where a block takes the data" };
        throw UnmappedOnnxNode { "its input '" + name + "' comes from a node that has no block" };
    }

    const onnx::GraphProto& graph_;
    std::string sourceName_;
    bool keepUnsupported_ = false;
    OnnxValues values_;
    ImportedNetwork network_;
    std::map<std::string, int> uses_; ///< value name → how many nodes (and graph outputs) read it
    std::map<std::string, int> tensors_; ///< data tensor → op producing it (-1: the input)
    std::set<int> matmulOps_; ///< Linear ops from a MatMul, still without a bias
    /// A pattern of nodes that is one block (GELU's erf form, SiLU's x · sigmoid(x)): its block and input.
    struct FusedPattern {
        std::string layerType;
        std::string input;
    };
    std::set<const onnx::NodeProto*> fusedInside_; ///< nodes of a pattern but its last
    std::map<const onnx::NodeProto*, FusedPattern> fused_; ///< a pattern's last node → its block
    std::map<std::string, std::string> unmappedReasons_;
    std::map<std::string, std::vector<std::string>> unmappedNodes_;
    std::set<std::string> unmappedValues_;
    std::set<std::string> followedValues_; ///< read on through a node without a block
    std::vector<std::string> notes_;
    std::map<std::string, int> opaqueKinds_; ///< op kind → how many were kept as Opaque blocks
    OnnxNodeMapper mapper_ { values_, [this](const std::string& name) { return source(name); }, notes_ };
    OnnxRecurrentReader recurrent_ { values_, tensors_, network_.ops, uses_, sourceName_ };
};

} // namespace

ImportedNetwork readOnnxNetwork(const std::string& bytes, const std::string& sourceName,
    const std::vector<int64_t>& inputShape, std::vector<std::string>& notes, bool keepUnsupported)
{
    onnx::ModelProto model = onnxproto::parseModel(bytes, sourceName);
    checkOnnxHeader(model, sourceName);
    try {
        onnxproto::checkModel(model); // check_model, then shape inference into value_info
    } catch (const Error& error) {
        throw Error(sourceName + ": " + error.what());
    }
    try {
        OnnxGraphReader reader(model, sourceName, keepUnsupported);
        return reader.read(inputShape, notes);
    } catch (const Error&) {
        throw;
    } catch (const c10::Error& error) { // a tensor operation on the file's constants refused them
        throw Error(sourceName + ": " + error.what_without_backtrace());
    } catch (const std::exception& error) {
        throw Error(sourceName + ": " + error.what());
    }
}

} // namespace netdraft::engine
