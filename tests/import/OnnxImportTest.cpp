// The ONNX reader on models written here with protobuf: module paths from node names, Gemm (transB 0,
// alpha, beta) and MatMul + Add as Linear, a Shape/Gather/Unsqueeze/Concat chain folded into a Reshape,
// Clip as ReLU6, a batch-first bidirectional LSTM (layout 1) against ONNX's equations, the built model
// against the same arithmetic in plain LibTorch; refusals by message.

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

/// A bidirectional LSTM of layout 1 (batch first: X N×T×F, Y N×T×D×H) read by a Reshape joining D×H,
/// then flattened (the Output block takes N×classes).
struct LstmTensors {
    torch::Tensor w = torch::randn({ 2, 20, 3 }) * 0.5; // directions × 4·hidden × features, ONNX i,o,f,c
    torch::Tensor r = torch::randn({ 2, 20, 5 }) * 0.5;
    torch::Tensor b = torch::randn({ 2, 40 }) * 0.5;
};

onnx::ModelProto batchFirstLstmModel(const LstmTensors& tensors)
{
    onnx::ModelProto model = emptyModel({ -1, 4, 3 }, { -1, 40 });
    onnx::GraphProto& graph = *model.mutable_graph();
    addInitializer(graph, "lstm.W", tensors.w);
    addInitializer(graph, "lstm.R", tensors.r);
    addInitializer(graph, "lstm.B", tensors.b);
    addInitializer(graph, "joined", torch::tensor(std::vector<int64_t> { 0, 0, -1 }));
    addNode(graph, "LSTM", { "input", "lstm.W", "lstm.R", "lstm.B" }, { "y" }, "/lstm/LSTM",
        { { "hidden_size", int64_t(5) }, { "layout", int64_t(1) }, { "direction", std::string("bidirectional") } });
    addNode(graph, "Reshape", { "y", "joined" }, { "sequence" }, "/lstm/Reshape");
    addNode(graph, "Flatten", { "sequence" }, { "output" }, "/Flatten", { { "axis", int64_t(1) } });
    return model;
}

/// ONNX's LSTM equations step by step (gates i, o, f, c; the reverse direction from the last step), on
/// N×T×F: N×T×(2·hidden), the forward direction's hidden states first.
torch::Tensor onnxLstmReference(const LstmTensors& tensors, const torch::Tensor& x)
{
    const int64_t steps = x.size(1);
    const int64_t hidden = tensors.r.size(2);
    std::vector<torch::Tensor> directions;
    for (int64_t d = 0; d < 2; ++d) {
        torch::Tensor h = torch::zeros({ x.size(0), hidden });
        torch::Tensor c = torch::zeros({ x.size(0), hidden });
        std::vector<torch::Tensor> outputs(static_cast<size_t>(steps));
        for (int64_t k = 0; k < steps; ++k) {
            const int64_t t = d == 0 ? k : steps - 1 - k;
            const torch::Tensor gates = torch::matmul(x.select(1, t), tensors.w[d].t())
                + torch::matmul(h, tensors.r[d].t()) + tensors.b[d].narrow(0, 0, 4 * hidden)
                + tensors.b[d].narrow(0, 4 * hidden, 4 * hidden);
            const std::vector<torch::Tensor> parts = gates.chunk(4, 1); // i, o, f, c
            c = torch::sigmoid(parts[2]) * c + torch::sigmoid(parts[0]) * torch::tanh(parts[3]);
            h = torch::sigmoid(parts[1]) * torch::tanh(c);
            outputs[static_cast<size_t>(t)] = h;
        }
        directions.push_back(torch::stack(outputs, 1));
    }
    return torch::cat(directions, 2);
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

    /// torch writes layout 0 only: layout 1 and the gate order are checked here against ONNX's equations.
    void batchFirstBidirectionalLstmComputesOnnxsEquations()
    {
        torch::manual_seed(5);
        const LstmTensors tensors;
        std::vector<std::string> notes;
        ImportedNetwork network;
        try {
            network = readOnnxNetwork(serialized(batchFirstLstmModel(tensors)), "lstm.onnx", {}, notes);
        } catch (const Error& error) {
            QFAIL(error.what());
        }
        QCOMPARE(network.ops.size(), size_t(2)); // LSTM, Flatten
        const ImportedOp& lstm = network.ops.front();
        QCOMPARE(lstm.layerType, std::string("LSTM"));
        QVERIFY(std::get<bool>(lstm.params.at("batch_first")));
        QVERIFY(std::get<bool>(lstm.params.at("bidirectional")));
        QCOMPARE(std::get<int64_t>(lstm.params.at("hidden_size")), int64_t(5));

        ImportedGraph imported;
        try {
            imported = buildImportedGraph(network);
        } catch (const Error& error) {
            QFAIL(error.what());
        }
        QCOMPARE(imported.parameterCount, int64_t(2 * (20 * 3 + 20 * 5 + 40)));
        GraphModel model = buildModel(imported.project.graph);
        importWeights(*model, imported.weights, "imported");
        model->eval();
        const torch::Tensor x = torch::randn({ 3, 4, 3 });
        const torch::Tensor actual = model->forward(x);
        const torch::Tensor expected = onnxLstmReference(tensors, x).flatten(1);
        QCOMPARE(actual.sizes().vec(), expected.sizes().vec());
        QVERIFY2(torch::allclose(actual, expected, 1e-5, 1e-5),
            qPrintable(QString::number((actual - expected).abs().max().item<double>())));
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
                        "  Erf ×2 (no Netdraft block does this) at /erf/Erf, /erf_1/Erf\n"
                        "Import with --keep-unsupported to keep them as opaque blocks, to be replaced before "
                        "training."));

        // Kept instead: three Opaque blocks in a chain, each with its shapes; the Conv's weight is text.
        std::vector<std::string> notes;
        const ImportedNetwork kept = readOnnxNetwork(serialized(model), "model.onnx", {}, notes, true);
        QCOMPARE(kept.ops.size(), size_t(3));
        for (size_t i = 0; i < kept.ops.size(); ++i) {
            QCOMPARE(kept.ops[i].layerType, std::string("Opaque"));
            QCOMPARE(kept.ops[i].inputs, std::vector<int> { static_cast<int>(i) - 1 });
            QCOMPARE(std::get<IntList>(kept.ops[i].params.at("output_shape")), (IntList { 4, 8, 8 }));
        }
        const ParamMap& conv = kept.ops[0].params;
        QCOMPARE(std::get<std::string>(conv.at("op_type")), std::string("Conv"));
        QCOMPARE(std::get<std::string>(conv.at("node_name")), std::string("/conv/Conv"));
        QCOMPARE(std::get<std::string>(conv.at("input_shapes")), std::string("N×3×8×8, 4×3×3×3"));
        QCOMPARE(std::get<std::string>(conv.at("attributes")),
            std::string("kernel_shape=[3, 3]; pads=[0, 0, 2, 2]; input 2 'weight'=constant 4×3×3×3"));
        QCOMPARE(notes.back(),
            std::string("3 operators have no Netdraft block and are kept as an opaque block (Conv ×1, Erf ×2): "
                        "replace them with real blocks before training or export"));
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
