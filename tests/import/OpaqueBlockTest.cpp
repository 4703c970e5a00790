// Opaque blocks (import --keep-unsupported): an operator without a block kept with its op type, node
// name, attributes and shapes; shape inference gives its recorded output shape, the project file keeps
// it byte for byte, and it is an error of the design on that block (validation, the canvas and Train
// refuse it) while the blocks after it keep their shapes; running or exporting it stops with a message
// naming the node and the operator.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/graph/CompositeGrouping.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/inference/ShapeInference.h"
#include "engine/import/ImportedGraph.h"
#include "engine/io/ProjectFormat.h"
#include "engine/model/GraphModel.h"
#include "engine/network/CompiledNetwork.h"
#include "engine/train/Trainer.h"
#include "tests/engine/TrainingFixtures.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

using namespace netdraft::engine;

namespace {

const char* const kRefusal = "block 'Foo_12' is an unsupported ONNX op 'NonMaxSuppression': replace it before training";
/// The design error on the block, as validation and the Problems list show it.
const char* const kDesignError
    = "block foo: is an unsupported ONNX op 'NonMaxSuppression' (node 'Foo_12'): replace it before training";

UnsupportedOperator nonMaxSuppression()
{
    UnsupportedOperator unsupported;
    unsupported.format = "ONNX";
    unsupported.opType = "NonMaxSuppression";
    unsupported.nodeName = "Foo_12";
    unsupported.attributes = "center_point_box=0; input 3 'max'=constant 1 = [5]";
    unsupported.inputShapes = "N×8, 1";
    unsupported.outputShape = { 5 };
    return unsupported;
}

/// Input(8) → Linear(16) "hidden" → Opaque NonMaxSuppression (→ 5) "foo" → Linear(3) "head" → Output.
Project opaqueProject()
{
    const ImportedOp opaque = opaqueOp(nonMaxSuppression(), { -1 }, "");
    Project project;
    project.graph = GraphBuilder()
                        .input({ 8 })
                        .then("Linear", { { "out_features", int64_t(16) } }, "hidden")
                        .then("Opaque", opaque.params, "foo")
                        .then("Linear", { { "out_features", int64_t(3) } }, "head")
                        .output()
                        .graph();
    project.training = netdraft::tests::quickSettings();
    return project;
}

} // namespace

class OpaqueBlockTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void inferenceGivesTheRecordedOutputShape()
    {
        const CompiledNetwork network = CompiledNetwork::compileForInspection(opaqueProject().graph);
        QCOMPARE(network.step("foo").info->output->sampleDims(), (std::vector<int64_t> { 5 }));
        QCOMPARE(network.step("head").info->inputs.front().sampleDims(), (std::vector<int64_t> { 5 }));
        // An opaque block without a recorded shape is an error of the graph, by message.
        Project project = opaqueProject();
        project.graph.block("foo").params["output_shape"] = IntList {};
        try {
            CompiledNetwork::compileForInspection(project.graph);
            QFAIL("a graph with an opaque block of no output shape compiled");
        } catch (const Error& error) {
            QVERIFY2(std::string(error.what()).find("no output shape is recorded for this unsupported op")
                    != std::string::npos,
                error.what());
        }
    }

    void theBlockIsAnErrorOfTheDesign()
    {
        const InferenceResult inference = inferShapes(opaqueProject().graph);
        QVERIFY(inference.hasErrors());
        QVERIFY(!inference.hasShapeErrors());
        std::vector<std::string> errors;
        for (const Problem& problem : inference.problems())
            if (problem.isError())
                errors.push_back(problem.toString() + " @" + problem.blockId);
        QCOMPARE(errors, (std::vector<std::string> { std::string(kDesignError) + " @foo" }));
        // The canvas's record: the error on the block, its recorded shape, and shapes after it.
        const BlockInference& foo = *inference.find("foo");
        QCOMPARE(foo.errors.size(), size_t(1));
        QCOMPARE(foo.runErrors, foo.errors);
        QCOMPARE(foo.output->sampleDims(), (std::vector<int64_t> { 5 }));
        QVERIFY(inference.find("head")->ok());
        QCOMPARE(inference.find("head")->output->sampleDims(), (std::vector<int64_t> { 3 }));
        // Anything that runs or exports the network compiles it, and that refuses it by name.
        try {
            CompiledNetwork::compile(opaqueProject());
            QFAIL("a graph with an opaque block compiled to run");
        } catch (const Error& error) {
            QVERIFY2(std::string(error.what()).find(kDesignError) != std::string::npos, error.what());
        }
        // A shape error elsewhere still stops the inspection compile.
        Project broken = opaqueProject();
        broken.graph.block("head").params["in_features"] = int64_t(7);
        QVERIFY(inferShapes(broken.graph).hasShapeErrors());
        QVERIFY_THROWS_EXCEPTION(Error, CompiledNetwork::compileForInspection(broken.graph));
    }

    void insideACompositeTheInstanceCarriesIt()
    {
        // The same chain wrapped as a composite: the instance shows the inner block's error and
        // passes its recorded shape on.
        Project project = opaqueProject();
        project.graph = groupBlocks(project.graph, { "hidden", "foo" }, "Roi", "roi1");
        const InferenceResult inference = inferShapes(project.graph);
        QVERIFY(!inference.hasShapeErrors());
        const BlockInference& instance = *inference.find("roi1");
        const std::string inner
            = "inside Roi, block foo: is an unsupported ONNX op 'NonMaxSuppression' (node 'Foo_12'): replace it "
              "before training";
        QCOMPARE(instance.errors, (std::vector<std::string> { inner }));
        QCOMPARE(instance.runErrors, instance.errors);
        QCOMPARE(instance.output->sampleDims(), (std::vector<int64_t> { 5 }));
        QCOMPARE(inference.find("head")->output->sampleDims(), (std::vector<int64_t> { 3 }));
        QCOMPARE(CompiledNetwork::compileForInspection(project).layers().size(), size_t(3));
        QVERIFY_THROWS_EXCEPTION(Error, CompiledNetwork::compile(project));
    }

    void projectFileKeepsEverything()
    {
        const Project project = opaqueProject();
        const std::string text = serializeProject(project);
        const Project loaded = parseProject(text, "opaque.netdraft");
        QCOMPARE(serializeProject(loaded), text);
        const Block& block = loaded.graph.block("foo");
        QCOMPARE(block.type, std::string("Opaque"));
        QCOMPARE(std::get<std::string>(block.params.at("op_type")), std::string("NonMaxSuppression"));
        QCOMPARE(std::get<std::string>(block.params.at("node_name")), std::string("Foo_12"));
        QCOMPARE(std::get<std::string>(block.params.at("attributes")), nonMaxSuppression().attributes);
        QCOMPARE(std::get<std::string>(block.params.at("input_shapes")), std::string("N×8, 1"));
        QCOMPARE(std::get<IntList>(block.params.at("output_shape")), (IntList { 5 }));
    }

    void trainingIsRefusedBeforeItStarts()
    {
        // Refused like any design error: the trainer is never made, no batch runs.
        TrainerOptions options;
        options.prefetch = false;
        try {
            Trainer::forProject(opaqueProject(), netdraft::tests::blobs(64), options);
            QFAIL("a trainer was made for a network with an opaque block");
        } catch (const Error& error) {
            QVERIFY2(std::string(error.what()).find(kDesignError) != std::string::npos, error.what());
        }
        // Should a caller run its model anyway (inspection compile), the block itself stops it.
        GraphModel model = buildModel(CompiledNetwork::compileForInspection(opaqueProject().graph));
        try {
            model->forward(torch::randn({ 2, 8 }));
            QFAIL("an opaque block ran");
        } catch (const Error& error) {
            QVERIFY2(std::string(error.what()).find(kRefusal) != std::string::npos, error.what());
        }
    }

    void exportHooksRefuseWithTheMessage()
    {
        const CompiledNetwork network = CompiledNetwork::compileForInspection(opaqueProject().graph);
        const NetworkStep& step = network.step("foo");
        try {
            step.type->torchScriptBody(step.buildContext());
            QFAIL("an opaque block exported to TorchScript");
        } catch (const Error& error) {
            QCOMPARE(std::string(error.what()), std::string(kRefusal));
        }
        try {
            step.type->pythonCode(step.buildContext(), "foo", { "x" });
            QFAIL("an opaque block exported as Python");
        } catch (const Error& error) {
            QCOMPARE(std::string(error.what()), std::string(kRefusal));
        }
        GraphModel model = buildModel(network); // builds (no weights), so parameter counts work
        QCOMPARE(model->totalParameters(), int64_t(8 * 16 + 16 + 5 * 3 + 3));
    }

    void importedNetworksKeepOpaqueOps()
    {
        // What every importer hands over: an op without a block between two Linears.
        ImportedNetwork network;
        network.name = "kept";
        network.inputShape = { 8 };
        ImportedOp hidden { "Linear", { { "out_features", int64_t(16) } }, "hidden", { -1 }, {} };
        hidden.weights = { { "weight", torch::randn({ 16, 8 }) }, { "bias", torch::randn({ 16 }) } };
        network.ops.push_back(hidden);
        network.ops.push_back(opaqueOp(nonMaxSuppression(), { 0 }, "roi"));
        network.ops.push_back(ImportedOp { "Linear", { { "out_features", int64_t(3) } }, "head", { 1 },
            { { "weight", torch::randn({ 3, 5 }) }, { "bias", torch::randn({ 3 }) } } });
        network.outputOp = 2;
        const ImportedGraph imported = buildImportedGraph(network);
        QCOMPARE(imported.blockCounts.at("Opaque"), 1);
        QCOMPARE(imported.parameterCount, int64_t(8 * 16 + 16 + 5 * 3 + 3));
        const Block& block = imported.project.graph.block("roi");
        QCOMPARE(block.type, std::string("Opaque"));
        QCOMPARE(std::get<int64_t>(block.params.at("num_inputs")), int64_t(1));
        QCOMPARE(std::get<std::string>(block.params.at("format")), std::string("ONNX"));
        QCOMPARE(opaqueNote({ { "NonMaxSuppression", 1 } }),
            std::string("1 operator has no Netdraft block and is kept as an opaque block (NonMaxSuppression ×1): "
                        "replace them with real blocks before training or export"));
    }
};

NETDRAFT_TEST(OpaqueBlockTest);
#include "OpaqueBlockTest.moc"
