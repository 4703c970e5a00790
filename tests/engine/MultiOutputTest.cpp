// Blocks with several output ports (LayerDescription::outputCountParam, as Split and Chunk use):
// connections name the port ("halves.out2"), inference gives each port its shape, and the model,
// the Python code, TorchScript and ONNX export route each port's tensor to its readers. A test-only
// layer type stands in for the catalogue's, registered in this test's own process.

#include <torch/script.h>

#include "engine/core/Error.h"
#include "engine/export/ExportMetadata.h"
#include "engine/export/PythonModelExport.h"
#include "engine/export/TorchScriptExport.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/inference/ShapeInference.h"
#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/model/GraphModel.h"
#include "engine/network/CompiledNetwork.h"
#include "tests/support/TestRegistry.h"
#ifdef NETDRAFT_ONNX_EXPORT
#include "engine/export/OnnxExport.h"
#endif

#include <QTest>

using namespace netdraft::engine;

namespace {

/// Cuts the last dimension into `parts` equal pieces, one per output port out1..outN.
class PartsLayer : public LayerType {
public:
    PartsLayer() : LayerType(describe()) {}

    static LayerDescription describe()
    {
        LayerDescription description { "MultiOutputTestParts", "Parts", category::kReshape, "Test only.",
            { ParamSpec::integer("parts", 2).min(1).help("Pieces.") } };
        description.outputCountParam = "parts";
        return description;
    }

    void inferShape(InferenceContext& context) const override
    {
        const int64_t parts = context.params().integer("parts");
        std::vector<int64_t> dims = context.input().dims();
        if (dims.back() % parts != 0) {
            context.error("cannot cut " + std::to_string(dims.back()) + " into " + std::to_string(parts));
            return;
        }
        dims.back() /= parts;
        context.setOutputs(std::vector<Shape>(static_cast<size_t>(parts), Shape(dims)));
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const int64_t parts = context.params.integer("parts");
        BuiltBlock built;
        built.forwardOutputs = [parts](const std::vector<torch::Tensor>& in) { return in[0].chunk(parts, -1); };
        return built;
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        return PythonCode { {}, "torch.chunk(" + inputs.at(0) + ", " + std::to_string(context.params.integer("parts"))
                                    + ", dim=-1)" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        return "return torch.chunk(x0, " + std::to_string(context.params.integer("parts")) + ", -1)";
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        (void)context; // opset 17's Split cuts into as many equal pieces as it has outputs
        onnx.node("Split", { onnx.inputs().at(0) }, onnx.outputs(), { { "axis", int64_t(-1) } });
        return true;
    }
};

/// Input N×6 → parts (2 pieces of 3) → Concat(out2, out1) → Output: the halves swapped.
Graph swappedHalves()
{
    GraphBuilder builder;
    builder.input({ 6 })
        .then("MultiOutputTestParts", {}, "halves")
        .add("Concat", { { "dim", int64_t(-1) } }, "join")
        .connect("halves", "join", "in1", "out2")
        .connect("halves", "join", "in2", "out1")
        .from("join")
        .output("regression");
    return builder.graph();
}

torch::Tensor swapped(const torch::Tensor& x)
{
    return torch::cat({ x.slice(-1, 3, 6), x.slice(-1, 0, 3) }, -1);
}

} // namespace

class MultiOutputTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (!LayerRegistry::instance().find("MultiOutputTestParts"))
            LayerRegistry::instance().add(std::make_unique<PartsLayer>());
    }

    void portsFollowTheCountParameter()
    {
        const LayerDescription& description = LayerRegistry::instance().find("MultiOutputTestParts")->description();
        QVERIFY(description.variadicOutputs());
        QCOMPARE(description.outputPorts({}), (std::vector<std::string> { "out1", "out2" }));
        QCOMPARE(description.outputPorts({ { "parts", int64_t(3) } }),
            (std::vector<std::string> { "out1", "out2", "out3" }));
        QCOMPARE(LayerRegistry::instance().find("ReLU")->description().outputPorts({}), std::vector<std::string> { "out" });
    }

    void inferenceGivesEachPortItsShape()
    {
        const Graph graph = swappedHalves();
        const InferenceResult inference = inferShapes(graph);
        QVERIFY2(!inference.hasErrors(), inference.problems().empty() ? "" : inference.problems()[0].toString().c_str());
        const BlockInference& halves = inference.blocks.at("halves");
        QCOMPARE(halves.portOutputs.size(), size_t(2));
        QCOMPARE(halves.portOutputs.at("out2"), Shape({ Shape::kBatch, 3 }));
        QCOMPARE(*inference.outputShape(PortRef { "halves", "out1" }), Shape({ Shape::kBatch, 3 }));
        QCOMPARE(*inference.blocks.at("join").output, Shape({ Shape::kBatch, 6 }));
    }

    void aMissingPortIsAnErrorOnTheSource()
    {
        Graph graph = swappedHalves();
        graph.block("halves").params["parts"] = int64_t(1); // out2 no longer exists
        const InferenceResult inference = inferShapes(graph);
        const auto& errors = inference.blocks.at("halves").errors;
        QVERIFY(!errors.empty());
        QVERIFY2(errors.front().find("has no output port 'out2'") != std::string::npos, errors.front().c_str());
    }

    void theModelRoutesEachOutput()
    {
        GraphModel model = buildModel(swappedHalves());
        const torch::Tensor x = torch::randn({ 4, 6 });
        QVERIFY(torch::equal(model->forward(x), swapped(x)));
        const CompiledNetwork network = CompiledNetwork::compile(swappedHalves());
        const NetworkStep& join = network.step("join");
        QCOMPARE(join.inputOutputs, (std::vector<size_t> { 1, 0 }));
        QCOMPARE(network.step("halves").outputCount(), size_t(2));
    }

    void pythonCodeSubscriptsTheOutputs()
    {
        const std::string code = pythonModelSource(swappedHalves(), metadataFromGraph(swappedHalves()), "w.pt");
        QVERIFY2(code.find("halves = torch.chunk(input, 2, dim=-1)") != std::string::npos, code.c_str());
        QVERIFY2(code.find("torch.cat([halves[1], halves[0]], dim=-1)") != std::string::npos, code.c_str());
    }

    void torchScriptComputesTheSame()
    {
        const Graph graph = swappedHalves();
        GraphModel model = buildModel(graph);
        const std::string bytes = torchScriptArchive(graph, *model, metadataFromGraph(graph));
        std::istringstream stream(bytes);
        torch::jit::Module loaded = torch::jit::load(stream);
        const torch::Tensor x = torch::randn({ 3, 6 });
        QVERIFY(torch::equal(loaded.forward({ x }).toTensor(), swapped(x)));
    }

    void onnxExportWiresEachOutput()
    {
#ifdef NETDRAFT_ONNX_EXPORT
        const CompiledNetwork network = CompiledNetwork::compile(swappedHalves());
        GraphModel model = buildModel(network);
        // The export checks the model and that ONNX shape inference reaches Netdraft's N×6.
        const std::string bytes = onnxModelBytes(network, *model, metadataOf(network), {});
        QVERIFY(bytes.find("halves/out2") != std::string::npos);
#else
        QSKIP("built without ONNX export");
#endif
    }
};

NETDRAFT_TEST(MultiOutputTest);
#include "MultiOutputTest.moc"
