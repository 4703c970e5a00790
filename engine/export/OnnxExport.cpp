#include "engine/export/OnnxExport.h"

#include "engine/core/Error.h"
#include "engine/export/OnnxGraphWriter.h"
#include "engine/io/OnnxProto.h"
#include "engine/io/AtomicFile.h"

namespace netdraft::engine {

namespace {

constexpr const char* kInputName = "input";
constexpr const char* kOutputName = "output";

/// Parameters and buffers before anything is copied: a model protobuf cannot hold 2 GB.
void checkWeightSize(const GraphModelImpl& model)
{
    uint64_t bytes = 0;
    for (const auto& parameter : model.parameters())
        bytes += static_cast<uint64_t>(parameter.numel()) * sizeof(float);
    for (const auto& buffer : model.buffers())
        bytes += static_cast<uint64_t>(buffer.numel()) * sizeof(float);
    ND_CHECK(bytes < onnxproto::kMaxModelBytes, "cannot export to ONNX: the weights take ", bytes / (1024 * 1024),
        " MiB, and an ONNX file (one protobuf) must stay below 2 GiB. Export TorchScript or a state dict instead.");
}

/// (input / scale - mean) / std with per-channel constants shaped C×1×…×1, like TorchScript's folding.
std::string foldNormalization(OnnxGraphWriter& writer, const ExportMetadata& metadata, const std::string& input)
{
    const std::vector<int64_t> broadcast = normalizationShape(metadata);
    auto constant = [&](const std::string& name, std::vector<float> values, std::vector<int64_t> dims) {
        const std::string unique = writer.uniqueName(name);
        writer.addInitializer(unique, OnnxTensorValues::ofFloats(std::move(dims), std::move(values)));
        return unique;
    };
    const std::string scale = constant("netdraft_input_scale", { static_cast<float>(metadata.inputScale) }, {});
    const std::string mean
        = constant("netdraft_input_mean", std::vector<float>(metadata.mean.begin(), metadata.mean.end()), broadcast);
    const std::string std
        = constant("netdraft_input_std", std::vector<float>(metadata.std.begin(), metadata.std.end()), broadcast);
    std::string value = input;
    int index = 0;
    for (const auto& [op, operand] :
        { std::pair<const char*, std::string> { "Div", scale }, { "Sub", mean }, { "Div", std } }) {
        onnx::NodeProto& node = *writer.graph().add_node();
        node.set_name(std::string("normalization/") + op + "_" + std::to_string(++index));
        node.set_op_type(op);
        node.add_input(value);
        node.add_input(operand);
        value = writer.uniqueName("normalization/" + std::to_string(index));
        node.add_output(value);
    }
    return value;
}

void writeGraph(OnnxGraphWriter& writer, const CompiledNetwork& network, const GraphModelImpl& model,
    const ExportMetadata& metadata, bool fold)
{
    writer.uniqueName(kInputName);
    writer.uniqueName(kOutputName);
    const auto& steps = network.steps();
    std::vector<std::vector<std::string>> values(steps.size()); // per step, one name per output
    std::string refused;
    for (size_t s = 0; s < steps.size(); ++s) {
        std::vector<std::string> inputs;
        if (s == network.inputStepIndex())
            inputs.push_back(fold ? foldNormalization(writer, metadata, kInputName) : kInputName);
        for (size_t i = 0; i < steps[s].inputSteps.size(); ++i) {
            const std::vector<std::string>& from = values[steps[s].inputSteps[i]];
            inputs.push_back(from.empty() ? std::string() : from.at(steps[s].inputOutputs[i]));
        }
        std::optional<std::vector<std::string>> result
            = writer.writeBlock(steps[s], model.blockModule(steps[s].id()), inputs);
        if (result)
            values[s] = *result;
        else
            refused += "\n  block " + steps[s].id() + " (" + steps[s].block->type + ")";
    }
    ND_CHECK(refused.empty(), "cannot export to ONNX: these layer types have no ONNX export yet:", refused,
        "\nExport TorchScript, a state dict or Python code instead.");
    const std::string& result = values[network.outputStepIndex()].at(0);
    bool produced = false;
    for (const auto& node : writer.graph().node())
        for (const auto& output : node.output())
            produced = produced || output == result;
    if (produced) {
        writer.renameValue(result, kOutputName);
    } else { // the input or an initializer reaches the output unchanged
        onnx::NodeProto& node = *writer.graph().add_node();
        node.set_name("output/Identity");
        node.set_op_type("Identity");
        node.add_input(result);
        node.add_output(kOutputName);
    }
}

std::string shapeText(const std::vector<int64_t>& dims)
{
    std::string text;
    for (int64_t size : dims)
        text += (text.empty() ? "" : "×") + (size < 0 ? std::string("N") : std::to_string(size));
    return text;
}

} // namespace

std::string onnxModelBytes(const CompiledNetwork& network, const GraphModelImpl& model, const ExportMetadata& metadata,
    const OnnxExportOptions& options)
{
    checkWeightSize(model);
    ExportMetadata written = metadata;
    written.normalizationFolded = options.foldNormalization;

    onnx::ModelProto proto;
    proto.set_ir_version(onnxproto::kIrVersion);
    proto.set_producer_name("Netdraft");
    proto.set_producer_version(kNetdraftVersion);
    proto.set_doc_string(
        written.projectName.empty() ? "exported by Netdraft" : written.projectName + ", exported by Netdraft");
    onnx::OperatorSetIdProto& opset = *proto.add_opset_import();
    opset.set_domain("");
    opset.set_version(onnxproto::kOpsetVersion);
    onnx::StringStringEntryProto& entry = *proto.add_metadata_props();
    entry.set_key(kOnnxMetadataKey);
    entry.set_value(written.toJson());

    onnx::GraphProto& graph = *proto.mutable_graph();
    graph.set_name("netdraft");
    OnnxGraphWriter writer(graph);
    writeGraph(writer, network, model, written, options.foldNormalization);

    std::vector<int64_t> inputDims { -1 };
    inputDims.insert(inputDims.end(), written.inputShape.begin(), written.inputShape.end());
    onnx::ValueInfoProto& input = *graph.add_input();
    input.set_name(kInputName);
    onnxproto::setTensorType(
        input, written.inputDtype == "int64" ? onnx::TensorProto::INT64 : onnx::TensorProto::FLOAT, inputDims);
    onnx::ValueInfoProto& output = *graph.add_output();
    output.set_name(kOutputName);
    output.mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);

    // Shape inference fills in the output's shape, which must be Netdraft's.
    onnxproto::inferShapes(proto);
    const Shape& expected = *network.outputStep().info->output;
    std::vector<int64_t> expectedDims = expected.dims();
    for (int64_t& size : expectedDims)
        size = size == Shape::kBatch ? -1 : size;
    // A size ONNX cannot work out (libonnx 1.12 does not follow Shape into Resize's sizes) is left
    // open; a size it works out must be Netdraft's.
    const std::vector<int64_t> inferred = onnxproto::tensorDims(graph.output(0));
    bool matches = inferred.size() == expectedDims.size();
    for (size_t i = 0; matches && i < inferred.size(); ++i)
        matches = inferred[i] == -1 || inferred[i] == expectedDims[i];
    ND_CHECK(matches, "the ONNX graph's inferred output shape ", shapeText(inferred), " differs from Netdraft's ",
        shapeText(expectedDims), ": a layer's ONNX export does not match its shape inference");
    onnxproto::setTensorType(*graph.mutable_output(0), onnx::TensorProto::FLOAT, expectedDims);
    onnxproto::checkModel(proto);
    return onnxproto::serializeModel(proto);
}

void exportOnnx(const CompiledNetwork& network, const GraphModelImpl& model, const ExportMetadata& metadata,
    const std::string& path, const OnnxExportOptions& options)
{
    writeFileAtomically(path, onnxModelBytes(network, model, metadata, options));
}

} // namespace netdraft::engine
