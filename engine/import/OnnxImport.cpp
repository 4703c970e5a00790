#include "engine/import/OnnxImport.h"

#include "engine/core/Error.h"
#include "engine/import/OnnxModules.h"
#include "engine/import/OnnxValues.h"
#include "engine/io/OnnxProto.h"
#include "engine/layers/LayerRegistry.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <sstream>

namespace netdraft::engine {

namespace {

/// Why a node has no block, for the user.
struct UnmappedOnnxNode {
    std::string reason;
};

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
    OnnxGraphReader(const onnx::ModelProto& model, std::string sourceName)
        : graph_(model.graph())
        , sourceName_(std::move(sourceName))
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
        network_.moduleTypes = onnxModuleTypes(network_.ops);
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
                geluInside_.insert(inside);
            geluInputs_[half] = x;
        }
    }

    void readNode(const onnx::NodeProto& node)
    {
        if (geluInside_.count(&node))
            return;
        if (auto gelu = geluInputs_.find(&node); gelu != geluInputs_.end() && !unmappedValues_.count(gelu->second)) {
            try {
                ImportedOp op;
                op.modulePath = onnxModulePath(node.name());
                op.layerType = "GELU";
                op.inputs.push_back(source(gelu->second));
                tensors_[node.output(0)] = static_cast<int>(network_.ops.size());
                network_.ops.push_back(std::move(op));
            } catch (const UnmappedOnnxNode& why) {
                unmapped(node, "Gelu", why.reason);
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
            unmapped(node, kind, "an operator of domain " + node.domain());
            return;
        }
        try {
            if (values_.fold(node))
                return;
            if (passThrough(node) || absorbBias(node))
                return;
            ImportedOp op;
            op.modulePath = onnxModulePath(node.name());
            if (!map(node, op)) {
                unmapped(node, kind, "no Netdraft block does this");
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
            if (std::any_of(node.input().begin(), node.input().end(),
                    [&](const std::string& input) { return followedValues_.count(input) > 0; }))
                followedValues_.insert(node.output(0)); // still downstream of a node without a block
        } catch (const UnmappedOnnxNode& why) {
            // A refusal downstream of an op without a block, on a value whose shape could not be inferred
            // through it, only repeats that op: such nodes are followed, not listed.
            const bool consequence = node.input_size() > 0 && values_.dims(node.input(0)).empty()
                && std::any_of(node.input().begin(), node.input().end(),
                    [&](const std::string& input) { return followedValues_.count(input) > 0; });
            unmapped(node, kind, why.reason, !consequence);
        }
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
        throw Error(message.str());
    }

    /// Nodes that compute nothing at inference: Identity, and Dropout in an inference graph.
    bool passThrough(const onnx::NodeProto& node)
    {
        if (node.op_type() != "Identity")
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
        throw UnmappedOnnxNode { "its input '" + name + "' comes from a node that has no block" };
    }

    torch::Tensor constantInput(const onnx::NodeProto& node, int index, const char* what) const
    {
        if (index >= node.input_size() || node.input(index).empty())
            throw UnmappedOnnxNode { std::string("it has no ") + what };
        std::optional<torch::Tensor> value = values_.constant(node.input(index));
        if (!value)
            throw UnmappedOnnxNode { std::string("its ") + what + " is computed while running, not a constant" };
        return value->to(torch::kFloat).contiguous();
    }

    bool hasInput(const onnx::NodeProto& node, int index) const
    {
        return index < node.input_size() && !node.input(index).empty();
    }

    int rank(const std::string& name) const { return static_cast<int>(values_.dims(name).size()); }

    static IntList symmetricPads(const onnx::NodeProto& node, size_t spatial)
    {
        const IntList pads = onnxInts(node, "pads", IntList(spatial * 2, 0));
        const std::string autoPad = onnxString(node, "auto_pad", "NOTSET");
        if (autoPad == "VALID")
            return IntList(spatial, 0);
        if (autoPad != "NOTSET")
            throw UnmappedOnnxNode { "auto_pad " + autoPad + " has no block parameter; export with explicit pads" };
        if (pads.size() != spatial * 2)
            throw UnmappedOnnxNode { "its pads do not match its kernel" };
        for (size_t i = 0; i < spatial; ++i)
            if (pads[i] != pads[i + spatial])
                throw UnmappedOnnxNode { "padding that differs between the start and the end of a dimension "
                                         "(asymmetric pads) has no block parameter" };
        return IntList(pads.begin(), pads.begin() + static_cast<long>(spatial));
    }

    // ---- Mapping -----------------------------------------------------------------------------

    bool map(const onnx::NodeProto& node, ImportedOp& op)
    {
        return mapWeighted(node, op) || mapActivation(node, op) || mapStructure(node, op);
    }

    /// One data input, output of the same shape.
    bool simple(const onnx::NodeProto& node, ImportedOp& op, const char* type)
    {
        op.layerType = type;
        op.inputs.push_back(source(node.input(0)));
        return true;
    }

    bool mapWeighted(const onnx::NodeProto& node, ImportedOp& op)
    {
        const std::string& type = node.op_type();
        if (type == "Conv")
            return convolution(node, op);
        if (type == "ConvTranspose")
            return transposedConvolution(node, op);
        if (type == "Gemm")
            return gemm(node, op);
        if (type == "MatMul")
            return matmul(node, op);
        if (type == "BatchNormalization")
            return batchNorm(node, op);
        if (type == "LayerNormalization")
            return layerNorm(node, op);
        return false;
    }

    bool convolution(const onnx::NodeProto& node, ImportedOp& op)
    {
        op.inputs.push_back(source(node.input(0)));
        const torch::Tensor weight = constantInput(node, 1, "weight");
        if (weight.dim() != 3 && weight.dim() != 4)
            throw UnmappedOnnxNode { "only 1-D and 2-D convolutions have blocks" };
        const size_t spatial = static_cast<size_t>(weight.dim() - 2);
        op.layerType = spatial == 1 ? "Conv1d" : "Conv2d";
        op.weights.emplace_back("weight", weight);
        if (hasInput(node, 2))
            op.weights.emplace_back("bias", constantInput(node, 2, "bias"));
        op.params["out_channels"] = weight.size(0);
        op.params["kernel_size"] = IntList(weight.sizes().begin() + 2, weight.sizes().end());
        op.params["stride"] = onnxInts(node, "strides", IntList(spatial, 1));
        op.params["padding"] = symmetricPads(node, spatial);
        op.params["dilation"] = onnxInts(node, "dilations", IntList(spatial, 1));
        op.params["groups"] = onnxInt(node, "group", 1);
        op.params["bias"] = hasInput(node, 2);
        return true;
    }

    bool transposedConvolution(const onnx::NodeProto& node, ImportedOp& op)
    {
        op.inputs.push_back(source(node.input(0)));
        const torch::Tensor weight = constantInput(node, 1, "weight");
        if (weight.dim() != 4)
            throw UnmappedOnnxNode { "only 2-D transposed convolutions have a block" };
        if (onnxHas(node, "output_shape"))
            throw UnmappedOnnxNode { "output_shape has no block parameter; export with pads" };
        const int64_t groups = onnxInt(node, "group", 1);
        op.layerType = "ConvTranspose2d";
        op.weights.emplace_back("weight", weight);
        if (hasInput(node, 2))
            op.weights.emplace_back("bias", constantInput(node, 2, "bias"));
        op.params["out_channels"] = weight.size(1) * groups;
        op.params["kernel_size"] = IntList(weight.sizes().begin() + 2, weight.sizes().end());
        op.params["stride"] = onnxInts(node, "strides", IntList(2, 1));
        op.params["padding"] = symmetricPads(node, 2);
        op.params["output_padding"] = onnxInts(node, "output_padding", IntList(2, 0));
        op.params["dilation"] = onnxInts(node, "dilations", IntList(2, 1));
        op.params["groups"] = groups;
        op.params["bias"] = hasInput(node, 2);
        return true;
    }

    bool gemm(const onnx::NodeProto& node, ImportedOp& op)
    {
        // Y = alpha · A · B' + beta · C, B' = B or Bᵀ; a Linear's weight is out×in.
        if (onnxInt(node, "transA", 0) != 0)
            throw UnmappedOnnxNode { "a transposed data input (transA) has no block" };
        op.inputs.push_back(source(node.input(0)));
        torch::Tensor weight = constantInput(node, 1, "weight");
        if (weight.dim() != 2)
            throw UnmappedOnnxNode { "its weight is not a matrix" };
        if (onnxInt(node, "transB", 0) == 0)
            weight = weight.t().contiguous();
        weight = weight * onnxFloat(node, "alpha", 1.0);
        op.layerType = "Linear";
        op.weights.emplace_back("weight", weight);
        op.params["out_features"] = weight.size(0);
        op.params["bias"] = hasInput(node, 2);
        if (hasInput(node, 2)) {
            torch::Tensor bias = constantInput(node, 2, "bias");
            if (bias.numel() == 1 && weight.size(0) != 1)
                bias = bias.reshape({ 1 }).expand({ weight.size(0) });
            if (bias.numel() != weight.size(0))
                throw UnmappedOnnxNode { "its bias (C) is not one value per output" };
            op.weights.emplace_back("bias", (bias.reshape({ weight.size(0) }) * onnxFloat(node, "beta", 1.0)).clone());
        }
        return true;
    }

    bool matmul(const onnx::NodeProto& node, ImportedOp& op)
    {
        op.inputs.push_back(source(node.input(0)));
        const torch::Tensor weight = constantInput(node, 1, "second operand");
        if (weight.dim() != 2)
            throw UnmappedOnnxNode { "only a product with a constant matrix (a Linear) has a block" };
        op.layerType = "Linear";
        op.weights.emplace_back("weight", weight.t().contiguous());
        op.params["out_features"] = weight.size(1);
        op.params["bias"] = false;
        matmulOps_.insert(static_cast<int>(network_.ops.size()));
        return true;
    }

    bool batchNorm(const onnx::NodeProto& node, ImportedOp& op)
    {
        if (onnxInt(node, "training_mode", 0) != 0)
            throw UnmappedOnnxNode { "training_mode 1 (batch statistics at inference) has no block" };
        const int inputRank = rank(node.input(0));
        op.inputs.push_back(source(node.input(0)));
        if (inputRank == 4)
            op.layerType = "BatchNorm2d";
        else if (inputRank == 2 || inputRank == 3)
            op.layerType = "BatchNorm1d";
        else
            throw UnmappedOnnxNode { "batch normalization over " + std::to_string(inputRank)
                + "-D values has no block" };
        op.weights = { { "weight", constantInput(node, 1, "scale") }, { "bias", constantInput(node, 2, "bias") },
            { "running_mean", constantInput(node, 3, "mean") }, { "running_var", constantInput(node, 4, "variance") } };
        op.params["eps"] = onnxFloat(node, "epsilon", 1e-5);
        op.params["momentum"] = 1.0 - onnxFloat(node, "momentum", 0.9); // ONNX weighs the running value
        op.params["affine"] = true;
        op.params["track_running_stats"] = true;
        return true;
    }

    bool layerNorm(const onnx::NodeProto& node, ImportedOp& op)
    {
        const std::vector<int64_t> dims = values_.dims(node.input(0));
        int64_t axis = onnxInt(node, "axis", -1);
        axis = axis < 0 ? axis + static_cast<int64_t>(dims.size()) : axis;
        if (dims.empty() || axis < 1 || axis >= static_cast<int64_t>(dims.size()))
            throw UnmappedOnnxNode { "it normalises over the batch dimension or a rank the file does not say" };
        op.inputs.push_back(source(node.input(0)));
        const torch::Tensor scale = constantInput(node, 1, "scale");
        op.layerType = "LayerNorm";
        op.params["normalized_shape"] = IntList(scale.sizes().begin(), scale.sizes().end());
        op.params["eps"] = onnxFloat(node, "epsilon", 1e-5);
        op.params["elementwise_affine"] = true;
        op.weights.emplace_back("weight", scale);
        op.weights.emplace_back("bias", hasInput(node, 2) ? constantInput(node, 2, "bias") : torch::zeros_like(scale));
        if (scale.dim() != static_cast<int64_t>(dims.size()) - axis)
            throw UnmappedOnnxNode { "its scale does not cover the normalised dimensions" };
        return true;
    }

    /// A registered layer type, or null (some come from other engineers' files: ReLU6, Hardswish…).
    static bool registered(const char* type) { return LayerRegistry::instance().find(type) != nullptr; }

    bool mapActivation(const onnx::NodeProto& node, ImportedOp& op)
    {
        const std::string& type = node.op_type();
        static const std::map<std::string, const char*> plain { { "Relu", "ReLU" }, { "Sigmoid", "Sigmoid" },
            { "Tanh", "Tanh" }, { "HardSwish", "Hardswish" }, { "HardSigmoid", "Hardsigmoid" }, { "Mish", "Mish" },
            { "Softplus", "Softplus" } };
        if (auto found = plain.find(type); found != plain.end()) {
            if (!registered(found->second))
                throw UnmappedOnnxNode { std::string("Netdraft has no ") + found->second + " block" };
            if (type == "HardSigmoid"
                && (std::abs(onnxFloat(node, "alpha", 0.2) - 1.0 / 6) > 1e-6 || onnxFloat(node, "beta", 0.5) != 0.5))
                throw UnmappedOnnxNode { "only alpha 1/6 and beta 0.5 (torch's Hardsigmoid) have a block" };
            return simple(node, op, found->second);
        }
        if (type == "LeakyRelu") {
            op.params["negative_slope"] = onnxFloat(node, "alpha", 0.01);
            return simple(node, op, "LeakyReLU");
        }
        if (type == "Elu") {
            op.params["alpha"] = onnxFloat(node, "alpha", 1.0);
            return simple(node, op, "ELU");
        }
        if (type == "PRelu")
            return prelu(node, op);
        if (type == "Softmax" || type == "LogSoftmax")
            return softmax(node, op);
        if (type == "Clip")
            return clip(node, op);
        return false;
    }

    bool prelu(const onnx::NodeProto& node, ImportedOp& op)
    {
        if (!registered("PReLU"))
            throw UnmappedOnnxNode { "Netdraft has no PReLU block" };
        const torch::Tensor slope = constantInput(node, 1, "slope");
        // torch writes one slope per channel as C×1×1 (broadcast over H×W), a shared one as a scalar.
        if (slope.numel() > 1 && slope.size(0) != slope.numel())
            throw UnmappedOnnxNode { "only one slope, or one per channel, has a block" };
        op.params["num_parameters"] = slope.numel();
        op.weights.emplace_back("weight", slope.reshape({ slope.numel() }).clone());
        return simple(node, op, "PReLU");
    }

    bool softmax(const onnx::NodeProto& node, ImportedOp& op)
    {
        const int inputRank = rank(node.input(0));
        const bool flattening = values_.opset() < 13; // before 13: over the flattened dims from axis on
        int64_t axis = onnxInt(node, "axis", flattening ? 1 : -1);
        if (flattening && (inputRank == 0 || (axis < 0 ? axis + inputRank : axis) != inputRank - 1))
            throw UnmappedOnnxNode { "before opset 13 it works on the flattened trailing dimensions; only the last "
                                     "dimension has a block" };
        op.params["dim"] = axis;
        return simple(node, op, node.op_type() == "Softmax" ? "Softmax" : "LogSoftmax");
    }

    bool clip(const onnx::NodeProto& node, ImportedOp& op)
    {
        double low = -std::numeric_limits<double>::infinity();
        double high = std::numeric_limits<double>::infinity();
        if (values_.opset() < 11) {
            low = onnxFloat(node, "min", low);
            high = onnxFloat(node, "max", high);
        } else {
            if (hasInput(node, 1))
                low = constantInput(node, 1, "minimum").item<double>();
            if (hasInput(node, 2))
                high = constantInput(node, 2, "maximum").item<double>();
        }
        if (low == 0 && high == 6) {
            if (!registered("ReLU6"))
                throw UnmappedOnnxNode { "ReLU6 (Clip 0…6): Netdraft has no ReLU6 block" };
            return simple(node, op, "ReLU6");
        }
        if (low == 0 && std::isinf(high))
            return simple(node, op, "ReLU");
        if (registered("Hardtanh") && std::isfinite(low) && std::isfinite(high)) {
            op.params["min_val"] = low;
            op.params["max_val"] = high;
            return simple(node, op, "Hardtanh");
        }
        throw UnmappedOnnxNode { "only Clip to 0…6 (ReLU6) or 0…∞ (ReLU) has a block" };
    }

    bool mapStructure(const onnx::NodeProto& node, ImportedOp& op)
    {
        const std::string& type = node.op_type();
        if (type == "MaxPool" || type == "AveragePool")
            return pooling(node, op);
        if (type == "GlobalAveragePool") {
            if (rank(node.input(0)) != 4)
                throw UnmappedOnnxNode { "only 2-D global pooling (N×C×H×W) has a block" };
            op.params["output_size"] = IntList { 1, 1 };
            return simple(node, op, "AdaptiveAvgPool2d");
        }
        if (type == "Flatten")
            return flatten(node, op);
        if (type == "Pad")
            return pad(node, op);
        if (type == "Reshape")
            return reshape(node, op);
        if (type == "Dropout") {
            if (hasInput(node, 2) || onnxInt(node, "is_test", 1) == 0)
                throw UnmappedOnnxNode { "a Dropout with a training_mode input or in training mode has no block" };
            op.params["p"]
                = hasInput(node, 1) ? constantInput(node, 1, "ratio").item<double>() : onnxFloat(node, "ratio", 0.5);
            return simple(node, op, "Dropout");
        }
        if (type == "Add" || type == "Mul" || type == "Sum")
            return merge(node, op, type == "Mul" ? "Multiply" : "Add");
        if (type == "Sub" || type == "Div") {
            const char* block = type == "Sub" ? "Subtract" : "Divide";
            if (!registered(block))
                throw UnmappedOnnxNode { std::string("Netdraft has no ") + block + " block" };
            merge(node, op, block);
            op.params.erase("num_inputs"); // two fixed inputs
            return true;
        }
        if (type == "Concat") {
            op.params["dim"] = onnxInt(node, "axis", 1);
            return merge(node, op, "Concat");
        }
        return false;
    }

    bool merge(const onnx::NodeProto& node, ImportedOp& op, const char* type)
    {
        for (const std::string& input : node.input())
            if (values_.isConstant(input))
                throw UnmappedOnnxNode { "with a constant operand ('" + input + "') instead of a second input" };
        for (const std::string& input : node.input())
            op.inputs.push_back(source(input));
        if (op.inputs.size() < 2)
            throw UnmappedOnnxNode { "it has fewer than two inputs" };
        op.layerType = type;
        op.params["num_inputs"] = static_cast<int64_t>(op.inputs.size());
        return true;
    }

    bool pooling(const onnx::NodeProto& node, ImportedOp& op)
    {
        const bool max = node.op_type() == "MaxPool";
        const IntList kernel = onnxInts(node, "kernel_shape", {});
        if (kernel.size() != 2)
            throw UnmappedOnnxNode { "only 2-D pooling has a block" };
        op.layerType = max ? "MaxPool2d" : "AvgPool2d";
        op.inputs.push_back(source(node.input(0)));
        op.params["kernel_size"] = kernel;
        op.params["stride"] = onnxInts(node, "strides", IntList(2, 1));
        op.params["padding"] = symmetricPads(node, 2);
        op.params["ceil_mode"] = onnxInt(node, "ceil_mode", 0) != 0;
        if (max)
            op.params["dilation"] = onnxInts(node, "dilations", IntList(2, 1));
        else
            op.params["count_include_pad"] = onnxInt(node, "count_include_pad", 0) != 0;
        return true;
    }

    /// Zero padding of N×C×H×W's height and width (torch writes one before an AvgPool2d that counts
    /// padded zeros); padding of nothing is passed through.
    bool pad(const onnx::NodeProto& node, ImportedOp& op)
    {
        if (onnxString(node, "mode", "constant") != "constant")
            throw UnmappedOnnxNode { "only constant (zero) padding has a block" };
        IntList pads = onnxInts(node, "pads", {});
        if (values_.opset() >= 11) {
            const torch::Tensor amounts = constantInput(node, 1, "pads").to(torch::kLong).reshape({ -1 }).contiguous();
            pads.assign(amounts.data_ptr<int64_t>(), amounts.data_ptr<int64_t>() + amounts.numel());
            if (hasInput(node, 2) && constantInput(node, 2, "padding value").item<double>() != 0)
                throw UnmappedOnnxNode { "only padding with zeros has a block" };
            if (hasInput(node, 3))
                throw UnmappedOnnxNode { "padding chosen axes (an axes input) has no block" };
        } else if (onnxFloat(node, "value", 0.0) != 0) {
            throw UnmappedOnnxNode { "only padding with zeros has a block" };
        }
        if (std::all_of(pads.begin(), pads.end(), [](int64_t amount) { return amount == 0; })) {
            op.layerType = "Identity";
            op.inputs.push_back(source(node.input(0)));
            return true; // readNode would make a block of it: passed through below instead
        }
        // [x1_begin, x2_begin, …, x1_end, x2_end, …] over N, C, H, W
        if (pads.size() != 8 || pads[0] || pads[1] || pads[4] || pads[5]
            || std::any_of(pads.begin(), pads.end(), [](int64_t amount) { return amount < 0; }))
            throw UnmappedOnnxNode { "only zero padding of height and width (N×C×H×W) has a block" };
        if (!registered("ZeroPad2d"))
            throw UnmappedOnnxNode { "Netdraft has no ZeroPad2d block" };
        op.params["top"] = pads[2];
        op.params["left"] = pads[3];
        op.params["bottom"] = pads[6];
        op.params["right"] = pads[7];
        return simple(node, op, "ZeroPad2d");
    }

    bool flatten(const onnx::NodeProto& node, ImportedOp& op)
    {
        const int inputRank = rank(node.input(0));
        int64_t axis = onnxInt(node, "axis", 1);
        if (axis < 0 && inputRank == 0)
            throw UnmappedOnnxNode { "a negative axis on a value of unknown rank" };
        axis = axis < 0 ? axis + inputRank : axis;
        if (axis < 1)
            throw UnmappedOnnxNode { "flattening the batch dimension has no block" };
        // ONNX joins everything from axis on and everything before it: with axis > 1 both halves must be
        // one dimension each, which torch's flatten(start_dim=axis) gives only when axis is 1.
        if (axis != 1)
            throw UnmappedOnnxNode { "axis " + std::to_string(axis)
                + " also joins the dimensions before it; only axis 1 has a block" };
        op.params["start_dim"] = int64_t(1);
        op.params["end_dim"] = int64_t(-1);
        return simple(node, op, "Flatten");
    }

    bool reshape(const onnx::NodeProto& node, ImportedOp& op)
    {
        if (onnxInt(node, "allowzero", 0) != 0)
            throw UnmappedOnnxNode { "allowzero 1 has no block parameter" };
        std::optional<OnnxSymbolicInts> shape = values_.symbolic(node.input(1));
        if (!shape || shape->scalar)
            throw UnmappedOnnxNode {
                "its new shape is computed while running, not from the input's shape or constants"
            };
        const std::vector<int64_t> inputDims = values_.dims(node.input(0));
        IntList sizes;
        for (size_t i = 0; i < shape->items.size(); ++i) {
            int64_t size = shape->items[i];
            if (size == 0) { // copy the input's size
                size = i == 0 ? kOnnxBatchSize : (i < inputDims.size() ? inputDims[i] : -2);
                if (size < 0 && size != kOnnxBatchSize)
                    throw UnmappedOnnxNode { "it copies a size the file does not say" };
            }
            if (size == kOnnxUnknownSize)
                throw UnmappedOnnxNode { "its new shape has a size computed while running" };
            sizes.push_back(size);
        }
        if (sizes.empty())
            throw UnmappedOnnxNode { "reshaping to a scalar has no block" };
        const int64_t batch = sizes.front();
        if (batch > 0) {
            if (batch != values_.fixedBatch())
                throw UnmappedOnnxNode {
                    "its new shape fixes the batch size; only the batch size, -1 or 0 first has a block"
                };
            notes_.push_back("Reshape " + node.name() + " fixes the batch size to " + std::to_string(batch)
                + "; imported as keeping the batch");
        } else if (batch != kOnnxBatchSize && batch != -1) {
            throw UnmappedOnnxNode { "its new shape does not keep the batch dimension first" };
        }
        sizes.erase(sizes.begin());
        if (sizes.empty())
            throw UnmappedOnnxNode { "reshaping to the batch dimension alone has no block" };
        if (std::any_of(sizes.begin(), sizes.end(), [](int64_t size) { return size < -1; }))
            throw UnmappedOnnxNode { "the batch size appears after the first dimension" };
        op.params["shape"] = sizes;
        return simple(node, op, "Reshape");
    }

    const onnx::GraphProto& graph_;
    std::string sourceName_;
    OnnxValues values_;
    ImportedNetwork network_;
    std::map<std::string, int> uses_; ///< value name → how many nodes (and graph outputs) read it
    std::map<std::string, int> tensors_; ///< data tensor → op producing it (-1: the input)
    std::set<int> matmulOps_; ///< Linear ops from a MatMul, still without a bias
    std::set<const onnx::NodeProto*> geluInside_; ///< nodes of a GELU pattern but its last
    std::map<const onnx::NodeProto*, std::string> geluInputs_; ///< a GELU pattern's last node → its input
    std::map<std::string, std::string> unmappedReasons_;
    std::map<std::string, std::vector<std::string>> unmappedNodes_;
    std::set<std::string> unmappedValues_;
    std::set<std::string> followedValues_; ///< read on through a node without a block
    std::vector<std::string> notes_;
};

} // namespace

ImportedNetwork readOnnxNetwork(const std::string& bytes, const std::string& sourceName,
    const std::vector<int64_t>& inputShape, std::vector<std::string>& notes)
{
    onnx::ModelProto model = onnxproto::parseModel(bytes, sourceName);
    checkOnnxHeader(model, sourceName);
    try {
        onnxproto::checkModel(model); // check_model, then shape inference into value_info
    } catch (const Error& error) {
        throw Error(sourceName + ": " + error.what());
    }
    try {
        OnnxGraphReader reader(model, sourceName);
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
