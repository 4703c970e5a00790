// The ONNX reader on models written here with protobuf: module paths from node names, Gemm (transB 0,
// alpha, beta) and MatMul + Add as Linear, a Shape/Gather/Unsqueeze/Concat chain folded into a Reshape,
// Clip as ReLU6, the built model against the same arithmetic in plain LibTorch; refusals by message.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/import/ImportedGraph.h"
#include "engine/import/OnnxImport.h"
#include "engine/import/OnnxModules.h"
#include "engine/io/OnnxProto.h"
#include "engine/model/GraphModel.h"
#include "engine/train/WeightsImport.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

using namespace netdraft::engine;

namespace {

onnx::NodeProto& addNode(onnx::GraphProto& graph, const std::string& type, std::vector<std::string> inputs,
    std::vector<std::string> outputs, const std::string& name, std::vector<OnnxAttribute> attributes = {})
{
    onnx::NodeProto& node = *graph.add_node();
    node.set_op_type(type);
    node.set_name(name);
    for (const std::string& input : inputs)
        node.add_input(input);
    for (const std::string& output : outputs)
        node.add_output(output);
    for (const OnnxAttribute& attribute : attributes)
        onnxproto::addAttribute(node, attribute);
    return node;
}

void addInitializer(onnx::GraphProto& graph, const std::string& name, const torch::Tensor& tensor)
{
    const torch::Tensor values = tensor.contiguous();
    if (values.scalar_type() == torch::kLong)
        *graph.add_initializer() = onnxproto::tensorProto(name,
            OnnxTensorValues::ofInts(values.sizes().vec(),
                std::vector<int64_t>(values.data_ptr<int64_t>(), values.data_ptr<int64_t>() + values.numel())));
    else
        *graph.add_initializer() = onnxproto::tensorProto(name,
            OnnxTensorValues::ofFloats(values.sizes().vec(),
                std::vector<float>(values.data_ptr<float>(), values.data_ptr<float>() + values.numel())));
}

onnx::ModelProto emptyModel(const std::vector<int64_t>& inputDims, const std::vector<int64_t>& outputDims)
{
    onnx::ModelProto model;
    model.set_ir_version(8);
    onnx::OperatorSetIdProto& opset = *model.add_opset_import();
    opset.set_domain("");
    opset.set_version(17);
    onnx::GraphProto& graph = *model.mutable_graph();
    graph.set_name("test");
    onnxproto::setTensorType(*graph.add_input(), onnx::TensorProto::FLOAT, inputDims);
    graph.mutable_input(0)->set_name("input");
    onnxproto::setTensorType(*graph.add_output(), onnx::TensorProto::FLOAT, outputDims);
    graph.mutable_output(0)->set_name("output");
    return model;
}

struct Tensors {
    torch::Tensor gemmWeight = torch::randn({ 24, 10 }); // in×out: transB 0
    torch::Tensor gemmBias = torch::randn({ 10 });
    torch::Tensor matmulWeight = torch::randn({ 10, 6 });
    torch::Tensor matmulBias = torch::randn({ 6 });
};

/// N×2×3×4 → x.view(x.size(0), -1) → Gemm(transB 0, alpha 0.5, beta 2) → MatMul + Add → Clip(0, 6).
onnx::ModelProto linearModel(const Tensors& tensors)
{
    onnx::ModelProto model = emptyModel({ -1, 2, 3, 4 }, { -1, 6 });
    onnx::GraphProto& graph = *model.mutable_graph();
    addInitializer(graph, "zero", torch::tensor(int64_t(0)));
    addInitializer(graph, "rest", torch::tensor(std::vector<int64_t> { -1 }));
    addInitializer(graph, "gemm.weight", tensors.gemmWeight);
    addInitializer(graph, "gemm.bias", tensors.gemmBias);
    addInitializer(graph, "project.weight", tensors.matmulWeight);
    addInitializer(graph, "project.bias", tensors.matmulBias);
    addInitializer(graph, "low", torch::tensor(0.0f));
    addInitializer(graph, "high", torch::tensor(6.0f));
    addInitializer(graph, "axes", torch::tensor(std::vector<int64_t> { 0 }));
    addNode(graph, "Shape", { "input" }, { "shape" }, "/Shape");
    addNode(graph, "Gather", { "shape", "zero" }, { "batch" }, "/Gather", { { "axis", int64_t(0) } });
    addNode(graph, "Unsqueeze", { "batch", "axes" }, { "batch1" }, "/Unsqueeze");
    addNode(graph, "Concat", { "batch1", "rest" }, { "newShape" }, "/Concat", { { "axis", int64_t(0) } });
    addNode(graph, "Reshape", { "input", "newShape" }, { "flat" }, "/Reshape");
    addNode(graph, "Gemm", { "flat", "gemm.weight", "gemm.bias" }, { "hidden" }, "/encoder/gemm/Gemm",
        { { "alpha", 0.5 }, { "beta", 2.0 } });
    addNode(graph, "MatMul", { "hidden", "project.weight" }, { "product" }, "/encoder/project/MatMul");
    addNode(graph, "Add", { "project.bias", "product" }, { "sum" }, "/encoder/project/Add");
    addNode(graph, "Clip", { "sum", "low", "high" }, { "output" }, "/act/Clip");
    return model;
}

std::string serialized(const onnx::ModelProto& model)
{
    std::string bytes;
    model.SerializeToString(&bytes);
    return bytes;
}

std::string importError(const onnx::ModelProto& model)
{
    std::vector<std::string> notes;
    try {
        buildImportedGraph(readOnnxNetwork(serialized(model), "model.onnx", {}, notes));
    } catch (const Error& error) {
        return error.what();
    }
    return "(imported)";
}

} // namespace

class OnnxImportTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void modulePathsComeFromNodeNames()
    {
        QCOMPARE(onnxModulePath("/layer1/layer1.0/conv1/Conv"), std::string("layer1.0.conv1"));
        QCOMPARE(onnxModulePath("/layer2/layer2.0/downsample/downsample.0/Conv"), std::string("layer2.0.downsample.0"));
        QCOMPARE(onnxModulePath("/features/features.1/conv/conv.0/conv.0.2/Clip"), std::string("features.1.conv.0.2"));
        QCOMPARE(onnxModulePath("/layer1/layer1.0/Add"), std::string("layer1.0"));
        QCOMPARE(onnxModulePath("/Flatten"), std::string(""));
        QCOMPARE(onnxModulePath("Identity_3"), std::string(""));
        QCOMPARE(onnxModulePath("layer1_0__conv1/Conv_3"), std::string("layer1_0.conv1")); // Netdraft's export
    }

    void linearLayersAndAFoldedReshapeComputeTheReference()
    {
        torch::manual_seed(11);
        const Tensors tensors;
        std::vector<std::string> notes;
        const ImportedNetwork network = readOnnxNetwork(serialized(linearModel(tensors)), "linear.onnx", {}, notes);
        std::vector<std::string> types;
        for (const ImportedOp& op : network.ops)
            types.push_back(op.layerType + "@" + op.modulePath);
        QCOMPARE(types,
            (std::vector<std::string> { "Reshape@", "Linear@encoder.gemm", "Linear@encoder.project", "ReLU6@act" }));
        QCOMPARE(std::get<IntList>(network.ops[0].params.at("shape")), IntList { -1 });
        QCOMPARE(network.inputShape, (std::vector<int64_t> { 2, 3, 4 }));

        const ImportedGraph imported = buildImportedGraph(network);
        GraphModel model = buildModel(imported.project.graph);
        importWeights(*model, imported.weights, "imported");
        model->eval();
        const torch::Tensor x = torch::randn({ 5, 2, 3, 4 }) * 3;
        torch::Tensor expected = torch::matmul(x.reshape({ 5, -1 }), tensors.gemmWeight) * 0.5 + 2 * tensors.gemmBias;
        expected = torch::clamp(torch::matmul(expected, tensors.matmulWeight) + tensors.matmulBias, 0, 6);
        QVERIFY(torch::allclose(model->forward(x), expected, 1e-5, 1e-5));
        QCOMPARE(imported.parameterCount, int64_t(24 * 10 + 10 + 10 * 6 + 6));
    }

    void opsWithoutABlockAreListed()
    {
        onnx::ModelProto model = emptyModel({ -1, 3, 8, 8 }, { -1, 4, 8, 8 });
        onnx::GraphProto& graph = *model.mutable_graph();
        addInitializer(graph, "weight", torch::randn({ 4, 3, 3, 3 }));
        addNode(graph, "Conv", { "input", "weight" }, { "a" }, "/conv/Conv",
            { { "kernel_shape", std::vector<int64_t> { 3, 3 } }, { "pads", std::vector<int64_t> { 0, 0, 2, 2 } } });
        addNode(graph, "Erf", { "a" }, { "b" }, "/erf/Erf");
        addNode(graph, "Erf", { "b" }, { "output" }, "/erf_1/Erf");
        QCOMPARE(importError(model),
            std::string("model.onnx: 3 nodes have no Netdraft block, so nothing was imported:\n"
                        "  Conv ×1 (padding that differs between the start and the end of a dimension (asymmetric "
                        "pads) has no block parameter) at /conv/Conv\n"
                        "  Erf ×2 (no Netdraft block does this) at /erf/Erf, /erf_1/Erf"));
    }

    void filesThatCannotBeReadAreRefused()
    {
        const Tensors tensors;
        onnx::ModelProto newer = linearModel(tensors);
        newer.mutable_opset_import(0)->set_version(18);
        QVERIFY(
            importError(newer).find("model.onnx: ONNX opset 18 is not supported (this Netdraft reads opsets 7 to 17)")
            == 0);
        onnx::ModelProto external = linearModel(tensors);
        external.mutable_graph()->mutable_initializer(2)->set_data_location(onnx::TensorProto::EXTERNAL);
        QVERIFY(importError(external).find("model.onnx: tensor 'gemm.weight' keeps its data in an external file") == 0);
        onnx::ModelProto twoInputs = linearModel(tensors);
        *twoInputs.mutable_graph()->add_input() = twoInputs.graph().input(0);
        twoInputs.mutable_graph()->mutable_input(1)->set_name("second");
        QCOMPARE(importError(twoInputs),
            std::string("model.onnx: the graph takes 2 inputs; Netdraft networks take one tensor"));
        std::vector<std::string> notes;
        try {
            readOnnxNetwork("\x0a\xff\xff\xff", "broken.onnx", {}, notes);
            QFAIL("a broken protobuf was read");
        } catch (const Error& error) {
            QCOMPARE(
                std::string(error.what()), std::string("broken.onnx: not an ONNX model (the protobuf does not parse)"));
        }
    }
};

NETDRAFT_TEST(OnnxImportTest);
#include "OnnxImportTest.moc"
