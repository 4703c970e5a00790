#include "tests/onnx/OnnxChecks.h"

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/export/OnnxExport.h"
#include "engine/io/OnnxProto.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/io/AtomicFile.h"
#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "tests/engine/ExportTestGraphs.h"
#include "tests/support/ErrorOf.h"

#include <filesystem>
#include <functional>
#include <iostream>
#include <set>

namespace netdraft::tests {

using namespace engine;

namespace {

/// A layer type without an ONNX hook, added to the registry for the refusal check only.
class NoOnnxLayer : public LayerType {
public:
    NoOnnxLayer()
        : LayerType({ "NoOnnxTest", "NoOnnxTest", category::kActivation, "A test layer without ONNX export.", {} })
    {
    }
    void inferShape(InferenceContext& context) const override { context.setOutput(context.input()); }
    BuiltBlock build(const BuildContext&) const override
    {
        return { nullptr, [](const std::vector<torch::Tensor>& in) { return in.at(0); } };
    }
};

void refusesLayersWithoutExport(std::vector<std::string>& failures)
{
    if (!LayerRegistry::instance().find("NoOnnxTest"))
        LayerRegistry::instance().add(std::make_unique<NoOnnxLayer>());
    GraphBuilder builder;
    builder.input({ 5 }).then("NoOnnxTest", {}, "mystery").then("ReLU", {}, "relu").then("NoOnnxTest", {}, "mystery2");
    builder.output("regression");
    const CompiledNetwork network = CompiledNetwork::compile(builder.graph());
    GraphModel model = buildModel(network, 1);
    const std::string expected = "cannot export to ONNX: these layer types have no ONNX export yet:\n"
                                 "  block mystery (NoOnnxTest)\n  block mystery2 (NoOnnxTest)\n"
                                 "Export TorchScript, a state dict or Python code instead.";
    const std::string message = errorOf([&] { onnxModelBytes(network, *model, metadataOf(network)); });
    if (message != expected)
        failures.push_back("refusal message:\n" + message + "\nexpected:\n" + expected);

    // A refused export leaves the file that was there.
    const std::filesystem::path path = std::filesystem::temp_directory_path() / "netdraft-onnx-refused.onnx";
    writeFileAtomically(path.string(), "keep");
    errorOf([&] { exportOnnx(network, *model, metadataOf(network), path.string()); });
    if (readFileLimited(path.string(), 100) != "keep")
        failures.push_back("a refused export replaced the existing file");
    std::filesystem::remove(path);
}

const onnx::AttributeProto* attribute(const onnx::NodeProto& node, const std::string& name)
{
    for (const auto& item : node.attribute())
        if (item.name() == name)
            return &item;
    return nullptr;
}

void checksTheHeader(std::vector<std::string>& failures)
{
    auto expect = [&failures](bool condition, const std::string& what) {
        if (!condition)
            failures.push_back(what);
    };
    const Graph graph = residualBlock();
    const CompiledNetwork network = CompiledNetwork::compile(graph);
    GraphModel model = trainedLikeModel(graph, 5);
    ExportMetadata metadata = metadataOf(network);
    metadata.projectName = "Residual";
    metadata.classNames = { "a", "b", "c" };
    metadata.mean = { 0.5, 0.4, 0.3, 0.2 };
    metadata.std = { 0.2, 0.2, 0.2, 0.2 };
    const onnx::ModelProto proto
        = onnxproto::parseModel(onnxModelBytes(network, *model, metadata, { true }), "the exported model");
    expect(proto.ir_version() == 8, "IR version " + std::to_string(proto.ir_version()));
    expect(proto.opset_import_size() == 1 && proto.opset_import(0).domain().empty()
            && proto.opset_import(0).version() == 17,
        "opset is not ai.onnx 17");
    ExportMetadata written = metadata;
    written.normalizationFolded = true;
    expect(proto.metadata_props_size() == 1 && proto.metadata_props(0).key() == kOnnxMetadataKey
            && proto.metadata_props(0).value() == written.toJson(),
        "metadata_props do not hold the export metadata");
    const auto& graphProto = proto.graph();
    expect(graphProto.input_size() == 1 && graphProto.input(0).name() == "input"
            && onnxproto::tensorDims(graphProto.input(0)) == std::vector<int64_t> { -1, 4, 8, 8 }
            && graphProto.input(0).type().tensor_type().shape().dim(0).dim_param() == "batch",
        "input is not input: batch×4×8×8");
    expect(graphProto.output_size() == 1 && graphProto.output(0).name() == "output"
            && onnxproto::tensorDims(graphProto.output(0)) == std::vector<int64_t> { -1, 3 },
        "output is not output: batch×3");
    std::set<std::string> initializers;
    for (const auto& tensor : graphProto.initializer())
        initializers.insert(tensor.name());
    for (const char* name : { "conv_a.weight", "conv_a.bias", "bn_a.running_mean", "bn_a.running_var", "fc.weight" })
        expect(initializers.count(name) == 1, std::string("no initializer ") + name);
    std::multiset<std::string> ops;
    for (const auto& node : graphProto.node()) {
        ops.insert(node.op_type());
        if (node.op_type() == "BatchNormalization") {
            const auto* momentum = attribute(node, "momentum");
            expect(momentum && std::abs(momentum->f() - 0.9f) < 1e-6f, "BatchNormalization momentum is not 1 - 0.1");
        }
        if (node.op_type() == "Conv") {
            const auto* pads = attribute(node, "pads");
            expect(pads && pads->ints_size() == 4, "Conv pads are not [top, left, bottom, right]");
        }
    }
    expect(ops.count("Dropout") == 0, "the eval-mode graph has a Dropout node");
    expect(ops.count("Conv") == 2 && ops.count("BatchNormalization") == 1 && ops.count("Gemm") == 1,
        "the residual block is not 2 Conv, 1 BatchNormalization, 1 Gemm");
    expect(ops.count("Sub") == 1 && ops.count("Div") == 2, "the folded normalisation is not Div, Sub, Div");
}

void refusesMalformedBytes(std::vector<std::string>& failures)
{
    const std::string message
        = errorOf([] { onnxproto::parseModel(std::string("\x0a\xff\xff\xff", 4), "broken.onnx"); });
    if (message != "broken.onnx: not an ONNX model (the protobuf does not parse)")
        failures.push_back("malformed bytes: " + message);
}

} // namespace

int runOnnxChecks()
{
    std::vector<std::string> failures;
    for (const auto& [name, check] :
        std::vector<std::pair<const char*, std::function<void(std::vector<std::string>&)>>> {
            { "refuses layers without export", refusesLayersWithoutExport }, { "checks the header", checksTheHeader },
            { "refuses malformed bytes", refusesMalformedBytes } }) {
        const size_t before = failures.size();
        try {
            check(failures);
        } catch (const std::exception& error) {
            failures.push_back(std::string(name) + " threw: " + error.what());
        }
        std::cout << (failures.size() == before ? "PASS " : "FAIL ") << name << "\n";
    }
    for (const std::string& failure : failures)
        std::cerr << "FAIL: " << failure << "\n";
    return failures.empty() ? 0 : 1;
}

} // namespace netdraft::tests
