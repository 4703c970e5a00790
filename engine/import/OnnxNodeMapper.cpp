#include "engine/import/OnnxNodeMapper.h"

#include "engine/import/ChannelAffineImport.h"
#include "engine/import/ReductionImport.h"
#include "engine/layers/LayerRegistry.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace netdraft::engine {

OnnxNodeMapper::OnnxNodeMapper(
    const OnnxValues& values, std::function<int(const std::string&)> source, std::vector<std::string>& notes)
    : values_(values)
    , source_(std::move(source))
    , notes_(notes)
{
}

torch::Tensor OnnxNodeMapper::constantInput(const onnx::NodeProto& node, int index, const char* what) const
{
    if (index >= node.input_size() || node.input(index).empty())
        throw UnmappedOnnxNode { std::string("it has no ") + what };
    std::optional<torch::Tensor> value = values_.constant(node.input(index));
    if (!value)
        throw UnmappedOnnxNode { std::string("its ") + what + " is computed while running, not a constant" };
    return value->to(torch::kFloat).contiguous();
}

bool OnnxNodeMapper::hasInput(const onnx::NodeProto& node, int index) const
{
    return index < node.input_size() && !node.input(index).empty();
}

IntList OnnxNodeMapper::constantAxes(const onnx::NodeProto& node) const
{
    IntList axes = onnxInts(node, "axes", IntList {});
    if (axes.empty() && hasInput(node, 1)) {
        const torch::Tensor values = constantInput(node, 1, "axes").flatten();
        for (int64_t i = 0; i < values.numel(); ++i)
            axes.push_back(static_cast<int64_t>(values[i].item<float>()));
    }
    return axes;
}

int OnnxNodeMapper::rank(const std::string& name) const
{
    return static_cast<int>(values_.dims(name).size());
}

IntList OnnxNodeMapper::symmetricPads(const onnx::NodeProto& node, size_t spatial)
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

bool OnnxNodeMapper::map(const onnx::NodeProto& node, ImportedOp& op)
{
    return mapWeighted(node, op) || mapActivation(node, op) || mapStructure(node, op);
}

bool OnnxNodeMapper::simple(const onnx::NodeProto& node, ImportedOp& op, const char* type)
{
    op.layerType = type;
    op.inputs.push_back(source_(node.input(0)));
    return true;
}

bool OnnxNodeMapper::mapWeighted(const onnx::NodeProto& node, ImportedOp& op)
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

bool OnnxNodeMapper::convolution(const onnx::NodeProto& node, ImportedOp& op)
{
    op.inputs.push_back(source_(node.input(0)));
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

bool OnnxNodeMapper::transposedConvolution(const onnx::NodeProto& node, ImportedOp& op)
{
    op.inputs.push_back(source_(node.input(0)));
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

bool OnnxNodeMapper::gemm(const onnx::NodeProto& node, ImportedOp& op)
{
    // Y = alpha · A · B' + beta · C, B' = B or Bᵀ; a Linear's weight is out×in.
    if (onnxInt(node, "transA", 0) != 0)
        throw UnmappedOnnxNode { "a transposed data input (transA) has no block" };
    op.inputs.push_back(source_(node.input(0)));
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

bool OnnxNodeMapper::matmul(const onnx::NodeProto& node, ImportedOp& op)
{
    op.inputs.push_back(source_(node.input(0)));
    const torch::Tensor weight = constantInput(node, 1, "second operand");
    if (weight.dim() != 2)
        throw UnmappedOnnxNode { "only a product with a constant matrix (a Linear) has a block" };
    op.layerType = "Linear";
    op.weights.emplace_back("weight", weight.t().contiguous());
    op.params["out_features"] = weight.size(1);
    op.params["bias"] = false;
    return true;
}

bool OnnxNodeMapper::batchNorm(const onnx::NodeProto& node, ImportedOp& op)
{
    if (onnxInt(node, "training_mode", 0) != 0)
        throw UnmappedOnnxNode { "training_mode 1 (batch statistics at inference) has no block" };
    const int inputRank = rank(node.input(0));
    op.inputs.push_back(source_(node.input(0)));
    if (inputRank == 4)
        op.layerType = "BatchNorm2d";
    else if (inputRank == 2 || inputRank == 3)
        op.layerType = "BatchNorm1d";
    else
        throw UnmappedOnnxNode { "batch normalization over " + std::to_string(inputRank) + "-D values has no block" };
    op.weights = { { "weight", constantInput(node, 1, "scale") }, { "bias", constantInput(node, 2, "bias") },
        { "running_mean", constantInput(node, 3, "mean") }, { "running_var", constantInput(node, 4, "variance") } };
    op.params["eps"] = onnxFloat(node, "epsilon", 1e-5);
    op.params["momentum"] = 1.0 - onnxFloat(node, "momentum", 0.9); // ONNX weighs the running value
    op.params["affine"] = true;
    op.params["track_running_stats"] = true;
    return true;
}

bool OnnxNodeMapper::layerNorm(const onnx::NodeProto& node, ImportedOp& op)
{
    const std::vector<int64_t> dims = values_.dims(node.input(0));
    int64_t axis = onnxInt(node, "axis", -1);
    axis = axis < 0 ? axis + static_cast<int64_t>(dims.size()) : axis;
    if (dims.empty() || axis < 1 || axis >= static_cast<int64_t>(dims.size()))
        throw UnmappedOnnxNode { "it normalises over the batch dimension or a rank the file does not say" };
    op.inputs.push_back(source_(node.input(0)));
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

bool OnnxNodeMapper::registered(const char* type)
{
    return LayerRegistry::instance().find(type) != nullptr;
}

bool OnnxNodeMapper::mapActivation(const onnx::NodeProto& node, ImportedOp& op)
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

bool OnnxNodeMapper::prelu(const onnx::NodeProto& node, ImportedOp& op)
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

bool OnnxNodeMapper::softmax(const onnx::NodeProto& node, ImportedOp& op)
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

bool OnnxNodeMapper::clip(const onnx::NodeProto& node, ImportedOp& op)
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

bool OnnxNodeMapper::mapStructure(const onnx::NodeProto& node, ImportedOp& op)
{
    const std::string& type = node.op_type();
    if (type == "MaxPool" || type == "AveragePool")
        return pooling(node, op);
    if (type == "GlobalAveragePool") {
        const int inputRank = rank(node.input(0));
        if (inputRank != 3 && inputRank != 4)
            throw UnmappedOnnxNode { "only 1-D and 2-D global pooling (N×C×L, N×C×H×W) have a block" };
        op.params["output_size"] = IntList(static_cast<size_t>(inputRank - 2), 1);
        return simple(node, op, inputRank == 4 ? "AdaptiveAvgPool2d" : "AdaptiveAvgPool1d");
    }
    if (type == "Flatten")
        return flatten(node, op);
    if (type == "Pad")
        return pad(node, op);
    if (type == "Reshape")
        return reshape(node, op);
    if (type == "Transpose")
        return transpose(node, op);
    if (type == "Squeeze" || type == "Unsqueeze")
        return squeeze(node, op);
    if (type == "Resize" || type == "Upsample")
        return resize(node, op);
    if (type == "ReduceMean" || type == "ReduceSum" || type == "ReduceMax")
        return reduction(node, op, type == "ReduceMean" ? "mean" : type == "ReduceSum" ? "sum" : "max");
    if (type == "Dropout") {
        if (hasInput(node, 2) || onnxInt(node, "is_test", 1) == 0)
            throw UnmappedOnnxNode { "a Dropout with a training_mode input or in training mode has no block" };
        op.params["p"]
            = hasInput(node, 1) ? constantInput(node, 1, "ratio").item<double>() : onnxFloat(node, "ratio", 0.5);
        return simple(node, op, "Dropout");
    }
    if ((type == "Add" || type == "Mul" || type == "Sub" || type == "Div") && constantArithmetic(node, op))
        return true;
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
    if (type == "Gather")
        return gather(node, op);
    return false;
}

bool OnnxNodeMapper::embedding(const onnx::NodeProto& node, ImportedOp& op)
{
    // Rows of a constant table picked by the data (token ids): what torch writes for nn.Embedding.
    const torch::Tensor table = constantInput(node, 0, "table");
    if (table.dim() != 2 || onnxInt(node, "axis", 0) != 0 || values_.isConstant(node.input(1)))
        throw UnmappedOnnxNode { "only rows of a constant matrix picked by the data (an Embedding) have a block" };
    op.params["num_embeddings"] = table.size(0);
    op.params["embedding_dim"] = table.size(1);
    op.weights.emplace_back("weight", table);
    op.layerType = "Embedding";
    op.inputs.push_back(source_(node.input(1)));
    return true;
}

bool OnnxNodeMapper::gather(const onnx::NodeProto& node, ImportedOp& op)
{
    if (values_.isConstant(node.input(0)))
        return embedding(node, op);
    const std::optional<OnnxSymbolicInts> index = values_.symbolic(node.input(1));
    if (!index || !index->scalar || values_.isSymbolic(node.input(1)) || index->items.size() != 1)
        throw UnmappedOnnxNode { "only one constant index (a Select) has a block" };
    const int inputRank = rank(node.input(0));
    int64_t axis = onnxInt(node, "axis", 0);
    if (axis < 0 && inputRank == 0)
        throw UnmappedOnnxNode { "a negative axis on a value of unknown rank" };
    axis = axis < 0 ? axis + inputRank : axis;
    if (axis < 1)
        throw UnmappedOnnxNode { "selecting from the batch dimension has no block" };
    if (!registered("Select"))
        throw UnmappedOnnxNode { "Netdraft has no Select block" };
    op.params["dim"] = axis;
    op.params["index"] = index->items.front();
    return simple(node, op, "Select");
}

bool OnnxNodeMapper::constantArithmetic(const onnx::NodeProto& node, ImportedOp& op)
{
    if (node.input_size() != 2 || values_.isConstant(node.input(0)) == values_.isConstant(node.input(1)))
        return false;
    const int dataSide = values_.isConstant(node.input(0)) ? 1 : 0;
    const std::string& name = node.input(1 - dataSide);
    const torch::Tensor constant = constantInput(node, 1 - dataSide, "constant operand");
    const int dataRank = rank(node.input(dataSide));
    if (constant.numel() != 1)
        return channelArithmetic(node, op, dataSide, constant);
    if (dataRank > 0 && constant.dim() > dataRank)
        throw UnmappedOnnxNode { "its constant operand ('" + name + "') has more dimensions than the data" };
    if (!registered("Scale"))
        throw UnmappedOnnxNode { "Netdraft has no Scale block" };
    const double value = constant.to(torch::kDouble).item<double>();
    const std::string& type = node.op_type();
    double scale = 1;
    double bias = 0;
    if (type == "Add") {
        bias = value;
    } else if (type == "Mul") {
        scale = value;
    } else if (type == "Sub") { // x - c, or c - x
        scale = dataSide == 0 ? 1 : -1;
        bias = dataSide == 0 ? -value : value;
    } else {
        if (dataSide == 1)
            throw UnmappedOnnxNode { "a number divided by the data has no block" };
        if (value == 0)
            throw UnmappedOnnxNode { "it divides by the constant 0" };
        scale = 1 / value;
    }
    op.params["scale"] = scale;
    op.params["bias"] = bias;
    op.layerType = "Scale";
    op.inputs.push_back(source_(node.input(dataSide)));
    return true;
}

bool OnnxNodeMapper::channelArithmetic(
    const onnx::NodeProto& node, ImportedOp& op, int dataSide, const torch::Tensor& constant)
{
    const std::string& name = node.input(1 - dataSide);
    const std::vector<int64_t> dims = values_.dims(node.input(dataSide));
    const std::optional<torch::Tensor> values = perChannelValues(constant, static_cast<int>(dims.size()));
    if (!values)
        throw UnmappedOnnxNode { "with a constant operand ('" + name + "') of " + std::to_string(constant.numel())
            + " values; only one number (a Scale block) or one per channel (a ChannelAffine block) has a block" };
    const int64_t channels = values->numel();
    if (dims[1] > 0 && dims[1] != channels)
        throw UnmappedOnnxNode { "its constant operand ('" + name + "') has " + std::to_string(channels)
            + " values per channel but the data has " + std::to_string(dims[1]) + " channels" };
    if (!registered("ChannelAffine"))
        throw UnmappedOnnxNode { "Netdraft has no ChannelAffine block" };
    // Mul and Add are what torch writes for parameters (learned); Sub and Div for a normalisation by
    // constants (fixed).
    const std::string& type = node.op_type();
    const torch::Tensor ones = torch::ones({ 1 }), zeros = torch::zeros({ 1 });
    ChannelAffineStep step { ones, zeros, false, false };
    if (type == "Mul") {
        step.scale = *values;
        step.learnScale = true;
    } else if (type == "Add") {
        step.shift = *values;
        step.learnShift = true;
    } else if (type == "Sub") { // x - c, or c - x
        step.scale = dataSide == 0 ? ones : -ones;
        step.shift = dataSide == 0 ? -*values : *values;
    } else {
        if (dataSide == 1)
            throw UnmappedOnnxNode { "constants divided by the data have no block" };
        if ((*values == 0).any().item<bool>())
            throw UnmappedOnnxNode { "it divides by a constant ('" + name + "') with a 0" };
        step.scale = 1 / *values;
    }
    setChannelAffine(op, step);
    op.inputs.push_back(source_(node.input(dataSide)));
    return true;
}

bool OnnxNodeMapper::merge(const onnx::NodeProto& node, ImportedOp& op, const char* type)
{
    for (const std::string& input : node.input())
        if (values_.isConstant(input))
            throw UnmappedOnnxNode { "with a constant operand ('" + input + "') instead of a second input" };
    for (const std::string& input : node.input())
        op.inputs.push_back(source_(input));
    if (op.inputs.size() < 2)
        throw UnmappedOnnxNode { "it has fewer than two inputs" };
    op.layerType = type;
    op.params["num_inputs"] = static_cast<int64_t>(op.inputs.size());
    return true;
}

bool OnnxNodeMapper::pooling(const onnx::NodeProto& node, ImportedOp& op)
{
    const bool max = node.op_type() == "MaxPool";
    const IntList kernel = onnxInts(node, "kernel_shape", {});
    if (kernel.size() != 2)
        throw UnmappedOnnxNode { "only 2-D pooling has a block" };
    op.layerType = max ? "MaxPool2d" : "AvgPool2d";
    op.inputs.push_back(source_(node.input(0)));
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

bool OnnxNodeMapper::pad(const onnx::NodeProto& node, ImportedOp& op)
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
        op.inputs.push_back(source_(node.input(0)));
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

bool OnnxNodeMapper::flatten(const onnx::NodeProto& node, ImportedOp& op)
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

bool OnnxNodeMapper::reshape(const onnx::NodeProto& node, ImportedOp& op)
{
    if (onnxInt(node, "allowzero", 0) != 0)
        throw UnmappedOnnxNode { "allowzero 1 has no block parameter" };
    std::optional<OnnxSymbolicInts> shape = values_.symbolic(node.input(1));
    if (!shape || shape->scalar)
        throw UnmappedOnnxNode { "its new shape is computed while running, not from the input's shape or constants" };
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

bool OnnxNodeMapper::transpose(const onnx::NodeProto& node, ImportedOp& op)
{
    // Without perm, ONNX reverses every dimension, the batch included. With it, perm's length is the
    // rank, which shape inference does not always give (after a Reshape to sizes computed from sizes).
    IntList order = onnxInts(node, "perm", IntList {});
    if (order.empty())
        throw UnmappedOnnxNode { "it reverses every dimension, the batch too; only a reordering of the other "
                                 "dimensions (a Permute block) has a block" };
    const int inputRank = rank(node.input(0));
    if (inputRank != 0 && static_cast<int>(order.size()) != inputRank)
        throw UnmappedOnnxNode { "its perm does not list every dimension of its input once" };
    if (order.front() != 0)
        throw UnmappedOnnxNode { "it moves the batch dimension; only a reordering of the other dimensions "
                                 "(a Permute block) has a block" };
    op.params["dims"] = IntList(order.begin() + 1, order.end());
    return simple(node, op, "Permute");
}

bool OnnxNodeMapper::resize(const onnx::NodeProto& node, ImportedOp& op)
{
    if (rank(node.input(0)) != 4)
        throw UnmappedOnnxNode { "only resizing height and width of N×C×H×W has a block" };
    const std::string mode = onnxString(node, "mode", "nearest");
    // Resize from opset 11 (inputs X, roi, scales, sizes) says how output positions map to input ones,
    // by default half_pixel and round_prefer_floor; opset 10's Resize and Upsample map them as PyTorch's
    // nearest does (asymmetric, floor) and have no align_corners.
    const bool resize11 = node.op_type() == "Resize" && node.input_size() > 2;
    const std::string mapping = onnxString(node, "coordinate_transformation_mode", resize11 ? "half_pixel" : "asymmetric");
    if (mode == "nearest") {
        if (mapping != "asymmetric" || onnxString(node, "nearest_mode", resize11 ? "round_prefer_floor" : "floor") != "floor")
            throw UnmappedOnnxNode { "nearest resizing other than PyTorch's (coordinate_transformation_mode "
                                     "asymmetric, nearest_mode floor) has no block" };
        op.params["mode"] = std::string("nearest");
    } else if (mode == "linear") {
        if (mapping != "pytorch_half_pixel" && mapping != "half_pixel" && mapping != "align_corners")
            throw UnmappedOnnxNode { "linear resizing with coordinate_transformation_mode " + mapping
                + " has no block (only pytorch_half_pixel, half_pixel or align_corners: bilinear)" };
        op.params["mode"] = std::string("bilinear");
        op.params["align_corners"] = mapping == "align_corners";
    } else {
        throw UnmappedOnnxNode { "resizing mode " + mode + " has no block (nearest or bilinear)" };
    }
    // Scales: opset 7's attribute, opset 9/10's second input, Resize 11+'s third; or Resize 11+'s sizes.
    const int scalesInput = resize11 ? 2 : 1;
    RealList scales = onnxFloats(node, "scales");
    if (scales.empty() && hasInput(node, scalesInput)) {
        const torch::Tensor values = constantInput(node, scalesInput, "scales").flatten();
        for (int64_t i = 0; i < values.numel(); ++i)
            scales.push_back(values[i].item<double>());
    }
    if (!scales.empty()) {
        if (scales.size() == 4 && (!std::isfinite(scales[2]) || scales[2] < 0.01 || scales[2] > 1024))
            throw UnmappedOnnxNode { "its scale factor " + std::to_string(scales[2])
                + " is outside what an Upsample block takes (0.01 to 1024)" };
        if (scales.size() != 4 || scales[0] != 1 || scales[1] != 1 || scales[2] != scales[3])
            throw UnmappedOnnxNode { "only one scale factor for height and width (batch and channels kept) has a "
                                     "block parameter" };
        op.params["scale_factor"] = scales[2];
    } else if (resize11 && hasInput(node, 3)) {
        const std::optional<OnnxSymbolicInts> sizes = values_.symbolic(node.input(3));
        if (!sizes || sizes->scalar || sizes->items.size() != 4 || sizes->items[2] < 1 || sizes->items[3] < 1)
            throw UnmappedOnnxNode { "its output sizes are computed while running, not constants" };
        op.params["size"] = IntList { sizes->items[2], sizes->items[3] };
    } else {
        throw UnmappedOnnxNode { "it has neither scales nor sizes" };
    }
    return simple(node, op, "Upsample");
}

bool OnnxNodeMapper::squeeze(const onnx::NodeProto& node, ImportedOp& op)
{
    const bool adds = node.op_type() == "Unsqueeze";
    const IntList axes = constantAxes(node);
    if (axes.size() != 1)
        throw UnmappedOnnxNode { axes.empty() ? std::string("squeezing every dimension of size 1 has no block")
                                              : "more than one axis at once has no block (one axis each)" };
    const int inputRank = rank(node.input(0));
    if (inputRank == 0)
        throw UnmappedOnnxNode { "the rank of its input is not known" };
    const int64_t rankThere = adds ? inputRank + 1 : inputRank; // the axis counts in the output of an Unsqueeze
    const int64_t axis = axes.front() < 0 ? axes.front() + rankThere : axes.front();
    if (axis <= 0 || axis >= rankThere)
        throw UnmappedOnnxNode { "the batch dimension cannot be squeezed or unsqueezed by a block" };
    op.params["dim"] = axis;
    return simple(node, op, adds ? "Unsqueeze" : "Squeeze");
}

bool OnnxNodeMapper::reduction(const onnx::NodeProto& node, ImportedOp& op, const char* kind)
{
    // The axes are an attribute (ReduceSum before opset 13, the others up to opset 17) or an input.
    const IntList axes = constantAxes(node);
    if (axes.empty())
        throw UnmappedOnnxNode { "a reduction over every dimension (the batch too) has no block" };
    const int inputRank = rank(node.input(0));
    if (inputRank == 0)
        throw UnmappedOnnxNode { "the rank of its input is not known" };
    const bool keepdim = onnxInt(node, "keepdims", 1) != 0;
    const std::optional<std::string> type = reductionLayerType(kind, inputRank, axes, keepdim);
    if (!type)
        throw UnmappedOnnxNode { kReductionOverTheBatch };
    if (*type != "GlobalAvgPool") {
        op.params["dims"] = axes;
        op.params["keepdim"] = keepdim;
    }
    op.layerType = *type;
    op.inputs.push_back(source_(node.input(0)));
    return true;
}

} // namespace netdraft::engine
