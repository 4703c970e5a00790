// Composite blocks with parameters (format version 5): a definition exposes inner parameters, each
// instance sets them, and the expansion writes them into the inner blocks. Checked against a flat graph
// built by hand and against the same network written with plain LibTorch functions.

#include <torch/torch.h>

#include "engine/graph/CompositeEditing.h"
#include "engine/graph/CompositeExpansion.h"
#include "engine/graph/CompositeGrouping.h"
#include "engine/graph/CompositeParameters.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/inference/ShapeInference.h"
#include "engine/io/ProjectFormat.h"
#include "engine/model/GraphModel.h"
#include "engine/train/GraphFingerprint.h"
#include "tests/support/KeptValues.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <tuple>

using namespace netdraft::engine;

namespace {

/// The inner blocks of one inverted residual without its skip: 1×1 expand + ReLU6, 3×3 depthwise + ReLU6,
/// 1×1 project; widths and stride as given.
std::vector<Block> invertedResidualBlocks(int64_t hidden, int64_t stride, int64_t out)
{
    return {
        { "expand", "Conv2d", "", { { "out_channels", hidden }, { "kernel_size", IntList { 1, 1 } } }, { 0, 0 } },
        { "relu1", "ReLU6", "", {}, { 200, 0 } },
        { "dw", "Conv2d", "",
            { { "out_channels", hidden }, { "groups", hidden }, { "stride", IntList { stride, stride } },
                { "padding", IntList { 1, 1 } } },
            { 400, 0 } },
        { "relu2", "ReLU6", "", {}, { 600, 0 } },
        { "project", "Conv2d", "", { { "out_channels", out }, { "kernel_size", IntList { 1, 1 } } }, { 800, 0 } },
    };
}

/// Inner blocks with every parameter filled in, as a project file holds them.
std::vector<Block> withDefaults(std::vector<Block> blocks)
{
    for (Block& block : blocks) {
        GraphBuilder builder;
        builder.add(block.type, block.params, block.id);
        block.params = builder.graph().blocks().front().params;
    }
    return blocks;
}

const std::vector<Connection> kInnerConnections { { { "expand", "out" }, { "relu1", "in" } },
    { { "relu1", "out" }, { "dw", "in" } }, { { "dw", "out" }, { "relu2", "in" } },
    { { "relu2", "out" }, { "project", "in" } } };

/// InvertedResidual exposing hidden_channels (expand.out_channels, dw.out_channels, dw.groups), stride
/// (dw.stride) and out_channels (project.out_channels); defaults 18, 1, 6.
CompositeDefinition invertedResidual()
{
    CompositeDefinition definition;
    definition.name = "InvertedResidual";
    definition.blocks = withDefaults(invertedResidualBlocks(18, 1, 6));
    definition.connections = kInnerConnections;
    definition.inputs = { { "in", { { "expand", "in" } } } };
    definition.outputs = { { "out", { "project", "out" } } };
    definition.parameters = {
        { "hidden_channels", int64_t(18),
            { { "expand", "out_channels" }, { "dw", "out_channels" }, { "dw", "groups" } } },
        { "stride", IntList { 1, 1 }, { { "dw", "stride" } } },
        { "out_channels", int64_t(6), { { "project", "out_channels" } } },
    };
    return definition;
}

/// input 3×8×8 → b1 (hidden 12, stride 2, out 8) → b2 (defaults: 18, 1, 6) → b3 (hidden 48, out 16)
/// → flatten → fc(10) → output.
Graph parameterisedGraph()
{
    Graph graph;
    graph.addComposite(invertedResidual());
    GraphBuilder builder;
    builder.input({ 3, 8, 8 });
    Graph flat = builder.graph();
    for (const Block& block : flat.blocks())
        graph.addBlock(block);
    graph.addBlock({ "b1", "InvertedResidual", "",
        { { "hidden_channels", int64_t(12) }, { "stride", IntList { 2, 2 } }, { "out_channels", int64_t(8) } },
        { 200, 0 } });
    graph.addBlock({ "b2", "InvertedResidual", "", {}, { 400, 0 } });
    graph.addBlock({ "b3", "InvertedResidual", "",
        { { "hidden_channels", int64_t(48) }, { "out_channels", int64_t(16) } }, { 600, 0 } });
    GraphBuilder tail;
    tail.add("Flatten", {}, "flatten").then("Linear", { { "out_features", int64_t(10) } }, "fc").output();
    for (const Block& block : tail.graph().blocks())
        graph.addBlock(block);
    for (const Connection& connection : tail.graph().connections())
        graph.connect(connection);
    graph.connect({ { "input", "out" }, { "b1", "in" } });
    graph.connect({ { "b1", "out" }, { "b2", "in" } });
    graph.connect({ { "b2", "out" }, { "b3", "in" } });
    graph.connect({ { "b3", "out" }, { "flatten", "in" } });
    return graph;
}

/// The same network built by hand without composites: ids as the expansion names them.
Graph handBuiltFlatGraph()
{
    GraphBuilder builder;
    builder.input({ 3, 8, 8 });
    const std::vector<std::tuple<std::string, int64_t, int64_t, int64_t>> stages { { "b1", 12, 2, 8 },
        { "b2", 18, 1, 6 }, { "b3", 48, 1, 16 } };
    for (const auto& [instance, hidden, stride, out] : stages)
        for (const Block& block : invertedResidualBlocks(hidden, stride, out))
            builder.then(block.type, block.params, instance + "__" + block.id);
    builder.then("Flatten", {}, "flatten").then("Linear", { { "out_features", int64_t(10) } }, "fc").output();
    return builder.graph();
}

/// InvertedResidual as torchvision writes it, InvertedResidual(inp, oup, stride, expand_ratio): in_channels
/// (pinned on expand), expansion (expand.out_channels, dw.out_channels and dw.groups = expansion ×
/// in_channels), out_channels and stride; defaults 8, 6, 6, 1.
CompositeDefinition expandingResidual()
{
    CompositeDefinition definition = invertedResidual();
    definition.parameters = {
        { "in_channels", int64_t(8), { { "expand", "in_channels" } } },
        { "expansion", int64_t(6),
            { { "expand", "out_channels", { "in_channels" } }, { "dw", "out_channels", { "in_channels" } },
                { "dw", "groups", { "in_channels" } } } },
        { "out_channels", int64_t(6), { { "project", "out_channels" } } },
        { "stride", IntList { 1, 1 }, { { "dw", "stride" } } },
    };
    return definition;
}

/// input 3×8×8 → e1 (in 3, expansion 4, stride 2, out 8) → e2 (in 8, the default expansion 6, out 6) → output.
Graph expandingGraph()
{
    Graph graph;
    graph.addComposite(expandingResidual());
    GraphBuilder builder;
    builder.input({ 3, 8, 8 });
    for (const Block& block : builder.graph().blocks())
        graph.addBlock(block);
    graph.addBlock({ "e1", "InvertedResidual", "",
        { { "in_channels", int64_t(3) }, { "expansion", int64_t(4) }, { "stride", IntList { 2, 2 } },
            { "out_channels", int64_t(8) } },
        { 200, 0 } });
    graph.addBlock({ "e2", "InvertedResidual", "", { { "in_channels", int64_t(8) } }, { 400, 0 } });
    graph.addBlock({ "output", "Output", "", { { "task", std::string("regression") } }, { 600, 0 } });
    graph.connect({ { "input", "out" }, { "e1", "in" } });
    graph.connect({ { "e1", "out" }, { "e2", "in" } });
    graph.connect({ { "e2", "out" }, { "output", "in" } });
    return graph;
}

/// expandingGraph() by hand: hidden widths 12 (3 × 4) and 48 (8 × 6) written out.
Graph handBuiltExpandingGraph()
{
    GraphBuilder builder;
    builder.input({ 3, 8, 8 });
    const std::vector<std::tuple<std::string, int64_t, int64_t, int64_t, int64_t>> stages { { "e1", 3, 12, 2, 8 },
        { "e2", 8, 48, 1, 6 } };
    for (const auto& [instance, in, hidden, stride, out] : stages)
        for (Block block : invertedResidualBlocks(hidden, stride, out)) {
            if (block.id == "expand")
                block.params["in_channels"] = in;
            builder.then(block.type, block.params, instance + "__" + block.id);
        }
    builder.output("regression");
    return builder.graph();
}

std::map<std::string, ParamMap> paramsById(const Graph& graph)
{
    std::map<std::string, ParamMap> params;
    for (const Block& block : graph.blocks())
        params[block.id] = block.params;
    return params;
}

std::string outputShapeText(const InferenceResult& inference, const std::string& id)
{
    const BlockInference* info = inference.find(id);
    return info && info->output ? info->output->toString() : "(none)";
}

std::string fileText(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

std::string firstLoadProblem(const std::string& text)
{
    try {
        parseProject(text, "p.netdraft");
    } catch (const ProjectLoadError& error) {
        return error.problems().empty() ? error.what() : error.problems().front().toString();
    }
    return "(loaded)";
}

} // namespace

class CompositeParametersTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void expansionWritesEachInstancesValues()
    {
        const ExpandedGraph expanded = expandComposites(parameterisedGraph());
        QVERIFY(expanded.problems.empty());
        QVERIFY(paramsById(expanded.graph) == paramsById(handBuiltFlatGraph()));
        QCOMPARE(expanded.graph.block("b1__dw").params.at("groups"), ParamValue(int64_t(12)));
        QCOMPARE(expanded.graph.block("b2__dw").params.at("groups"), ParamValue(int64_t(18))); // the default
        QCOMPARE(expanded.graph.block("b3__dw").params.at("stride"), ParamValue(IntList { 1, 1 }));
    }

    void shapesEqualTheHandBuiltGraphs()
    {
        const InferenceResult composite = inferShapes(parameterisedGraph());
        const InferenceResult flat = inferShapes(handBuiltFlatGraph());
        QVERIFY2(
            !composite.hasErrors(), composite.problems().empty() ? "" : composite.problems()[0].toString().c_str());
        QVERIFY(!flat.hasErrors());
        QCOMPARE(outputShapeText(composite, "b1"), std::string("N\u00d78\u00d74\u00d74"));
        QCOMPARE(outputShapeText(composite, "b1"), outputShapeText(flat, "b1__project"));
        QCOMPARE(outputShapeText(composite, "b2"), outputShapeText(flat, "b2__project"));
        QCOMPARE(outputShapeText(composite, "b3"), std::string("N\u00d716\u00d74\u00d74"));
        QCOMPARE(outputShapeText(composite, "fc"), outputShapeText(flat, "fc"));
    }

    void modelEqualsPlainLibTorch()
    {
        GraphModel composite = buildModel(parameterisedGraph(), 3);
        GraphModel flat = buildModel(handBuiltFlatGraph(), 9);
        QCOMPARE(composite->totalParameters(), flat->totalParameters());
        {
            torch::NoGradGuard noGrad;
            auto from = composite->named_parameters();
            for (auto& parameter : flat->named_parameters())
                parameter.value().copy_(from[parameter.key()]);
        }
        composite->eval();
        flat->eval();
        torch::manual_seed(4);
        const torch::Tensor input = torch::randn({ 2, 3, 8, 8 });
        const torch::Tensor actual = composite->forward(input);
        QVERIFY(torch::allclose(actual, flat->forward(input), 1e-5, 1e-6));

        // The same network written with LibTorch's functions and the composite model's weights.
        auto weights = composite->named_parameters();
        torch::Tensor x = input;
        const std::vector<std::tuple<std::string, int64_t, int64_t>> stages { { "b1", 12, 2 }, { "b2", 18, 1 },
            { "b3", 48, 1 } };
        for (const auto& [instance, hidden, stride] : stages) {
            const std::string prefix = instance + "__"; // C++17 lambdas cannot capture structured bindings
            auto w = [&](const std::string& name) { return weights[prefix + name]; };
            x = torch::clamp(torch::conv2d(x, w("expand.weight"), w("expand.bias")), 0, 6);
            x = torch::clamp(
                torch::conv2d(x, w("dw.weight"), w("dw.bias"), { stride, stride }, { 1, 1 }, { 1, 1 }, hidden), 0, 6);
            x = torch::conv2d(x, w("project.weight"), w("project.bias"));
        }
        QCOMPARE(weights["b1__dw.weight"].sizes().vec(), (std::vector<int64_t> { 12, 1, 3, 3 })); // depthwise
        const torch::Tensor expected = torch::linear(x.flatten(1), weights["fc.weight"], weights["fc.bias"]);
        QCOMPARE(actual.sizes().vec(), (std::vector<int64_t> { 2, 10 }));
        QVERIFY(torch::allclose(actual, expected, 1e-5, 1e-6));
    }

    void instanceValuesCountInTheFingerprint()
    {
        Graph graph = parameterisedGraph();
        const std::string before = graphFingerprint(graph);
        QCOMPARE(before, graphFingerprint(handBuiltFlatGraph())); // what trains is the same network
        graph.block("b2").params["out_channels"] = int64_t(7);
        QVERIFY(graphFingerprint(graph) != before);
        graph.block("b2").params["out_channels"] = int64_t(6); // the default, now set explicitly
        QCOMPARE(graphFingerprint(graph), before);
    }

    void exposingAddsParametersAndTargets()
    {
        Graph graph = parameterisedGraph();
        CompositeDefinition definition = invertedResidual();
        definition.parameters.clear();
        graph.replaceComposite(definition);
        graph = exposeCompositeParameter(graph, "InvertedResidual", "dw", "stride", "stride");
        graph = exposeCompositeParameter(graph, "InvertedResidual", "expand", "out_channels", "hidden_channels");
        graph = exposeCompositeParameter(graph, "InvertedResidual", "dw", "groups", "hidden_channels");
        const CompositeDefinition& exposed = *graph.findComposite("InvertedResidual");
        QCOMPARE(exposed.parameters.size(), size_t(2));
        QCOMPARE(exposed.parameters[1].defaultValue, ParamValue(int64_t(18))); // the block's value
        QCOMPARE(exposed.parameters[1].targets.size(), size_t(2));
        const std::optional<ParamSpec> spec = compositeParameterSpec(graph, exposed, "stride");
        QVERIFY(spec);
        QCOMPARE(spec->kind, ParamKind::IntTuple);
        QVERIFY(spec->helpText.rfind("Sets dw.stride inside InvertedResidual.", 0) == 0);

        auto refused = [&](const std::string& block, const std::string& param, const std::string& name) {
            try {
                exposeCompositeParameter(graph, "InvertedResidual", block, param, name);
            } catch (const Error& error) {
                return std::string(error.what());
            }
            return std::string("(accepted)");
        };
        QCOMPARE(refused("dw", "stride", "s"),
            std::string("dw.stride is already exposed as InvertedResidual's parameter 'stride'"));
        QCOMPARE(refused("dw", "kernel", "k"), std::string("block dw (Conv2d) has no parameter 'kernel'"));
        QCOMPARE(refused("nine", "stride", "s"), std::string("composite InvertedResidual has no block 'nine'"));
        QCOMPARE(refused("project", "bias", "stride"),
            std::string(
                "InvertedResidual's parameter 'stride' is an integer or a list of 2 integers, but project.bias is "
                "true or false"));
        QCOMPARE(refused("project", "out_channels", "2x"),
            std::string(
                "'2x' is not a valid parameter name: use a letter or _, then letters, digits or _ (at most 64)"));
    }

    void removingAParameterKeepsItsDefaultInside()
    {
        const Graph graph = removeCompositeParameter(parameterisedGraph(), "InvertedResidual", "stride");
        QVERIFY(!graph.findComposite("InvertedResidual")->findParameter("stride"));
        QVERIFY(!graph.block("b1").params.count("stride")); // the instance's value goes with it
        QCOMPARE(expandComposites(graph).graph.block("b1__dw").params.at("stride"), ParamValue(IntList { 1, 1 }));
    }

    void removingABoundInnerBlockDropsItsTargets()
    {
        const Graph graph = removeInnerBlocks(parameterisedGraph(), "InvertedResidual", { "project", "relu2" });
        const CompositeDefinition& definition = *graph.findComposite("InvertedResidual");
        QVERIFY(!definition.findParameter("out_channels"));
        QVERIFY(definition.findParameter("stride"));
        QVERIFY(!graph.block("b1").params.count("out_channels"));
        QCOMPARE(graph.block("b1").params.at("stride"), ParamValue(IntList { 2, 2 }));
    }

    void ungroupingKeepsTheInstancesValues()
    {
        const Graph graph = ungroupBlock(parameterisedGraph(), "b1");
        QCOMPARE(graph.block("dw").params.at("groups"), ParamValue(int64_t(12)));
        QCOMPARE(graph.block("dw").params.at("stride"), ParamValue(IntList { 2, 2 }));
        QCOMPARE(graph.block("project").params.at("out_channels"), ParamValue(int64_t(8)));
    }

    void projectFileRoundTrip()
    {
        Project project;
        project.name = "parameters";
        project.graph = parameterisedGraph();
        const std::string text = serializeProject(project);
        QVERIFY(text.find("\"parameters\": [") != std::string::npos);
        QVERIFY(text.find("\"expand.out_channels\",") != std::string::npos); // targets as "block.parameter"
        const Project loaded = parseProject(text, "parameters.netdraft");
        QVERIFY(loaded.graph == project.graph);
        QCOMPARE(serializeProject(loaded), text);
    }

    void loadErrorsNameTheirPlace()
    {
        Project project;
        project.graph = parameterisedGraph();
        const std::string text = serializeProject(project);
        auto replaced = [&](const std::string& from, const std::string& to) {
            std::string changed = text;
            const size_t at = changed.find(from);
            if (at == std::string::npos)
                return std::string("(no ") + from + ")";
            return changed.replace(at, from.size(), to);
        };
        QCOMPARE(firstLoadProblem(replaced("\"hidden_channels\": 12", "\"width\": 12")),
            std::string("block b1: unknown parameter 'width' for InvertedResidual (it exposes 'hidden_channels', "
                        "'out_channels', 'stride')"));
        QCOMPARE(firstLoadProblem(replaced("\"hidden_channels\": 12", "\"hidden_channels\": \"twelve\"")),
            std::string("block b1: hidden_channels must be an integer, got \"twelve\""));
        QCOMPARE(firstLoadProblem(replaced("\"dw.stride\"", "\"dw.strides\"")),
            std::string("$.graph.composites[0].parameters[1].targets[0]: \"dw.strides\" is not a parameter of a block "
                        "inside"));
        QCOMPARE(firstLoadProblem(replaced("\"dw.groups\"", "\"dw.bias\"")),
            std::string("$.graph.composites[0].parameters[0].targets[2]: dw.bias is true or false, but the first "
                        "target is an integer"));
        QCOMPARE(firstLoadProblem(replaced("\"dw.stride\"", "\"dw.groups\"")),
            std::string("$.graph.composites[0].parameters[1].targets[0]: dw.groups is already set by parameter "
                        "'hidden_channels'"));
    }

    void goldenVersionFiveFileLoads()
    {
        const std::filesystem::path path
            = std::filesystem::path(NETDRAFT_SOURCE_DIR) / "tests/data/v5_composite_parameters.netdraft";
        const Project project = loadProjectFile(path.string());
        const CompositeDefinition* definition = project.graph.findComposite("InvertedResidual");
        QVERIFY(definition);
        QCOMPARE(definition->parameters.size(), size_t(3));
        QVERIFY(paramsById(expandComposites(project.graph).graph)
            == paramsById(expandComposites(parameterisedGraph()).graph));
        QCOMPARE(serializeProject(project), fileText(path)); // load → save is byte-identical
        // A version 4 file (no parameters) still reads, and is written as version 5 with every value kept.
        const std::filesystem::path older
            = std::filesystem::path(NETDRAFT_SOURCE_DIR) / "tests/data/v4_saved_experiment.netdraft";
        const std::string written = serializeProject(loadProjectFile(older.string()));
        QCOMPARE(netdraft::tests::valuesNotKept(fileText(older), written), std::string());
        QVERIFY(written.find("\"version\": 5,") != std::string::npos);
    }

    // A target multiplied by other parameters (issue 19's expansion factor).
    void targetsMultipliedByParametersEqualTheHandBuiltGraph()
    {
        const ExpandedGraph expanded = expandComposites(expandingGraph());
        QVERIFY(expanded.problems.empty());
        QVERIFY(paramsById(expanded.graph) == paramsById(handBuiltExpandingGraph()));
        QCOMPARE(expanded.graph.block("e1__dw").params.at("groups"), ParamValue(int64_t(12)));
        QCOMPARE(expanded.graph.block("e2__expand").params.at("out_channels"), ParamValue(int64_t(48)));
        const InferenceResult composite = inferShapes(expandingGraph());
        QVERIFY2(
            !composite.hasErrors(), composite.problems().empty() ? "" : composite.problems()[0].toString().c_str());
        QCOMPARE(
            outputShapeText(composite, "e2"), outputShapeText(inferShapes(handBuiltExpandingGraph()), "e2__project"));
        GraphModel model = buildModel(expandingGraph(), 3);
        QCOMPARE(model->totalParameters(), buildModel(handBuiltExpandingGraph(), 3)->totalParameters());
        // in_channels is checked against the real input by the pinned expand convolution.
        Graph wrong = expandingGraph();
        wrong.block("e2").params["in_channels"] = int64_t(5);
        QVERIFY(inferShapes(wrong).hasErrors());
    }

    void constantFactorsAndOverflow()
    {
        const CompositeDefinition definition = expandingResidual();
        Block instance { "e", "InvertedResidual", "", { { "in_channels", int64_t(5) } }, {}, false };
        const ParamTarget twice { "expand", "out_channels", { "in_channels", "2" } };
        QCOMPARE(targetValue(definition, &instance, twice, int64_t(3)), ParamValue(int64_t(30)));
        QCOMPARE(targetValue(definition, nullptr, twice, int64_t(3)), ParamValue(int64_t(48))); // defaults: 3 × 8 × 2
        instance.params["in_channels"] = std::numeric_limits<int64_t>::max() / 2;
        QCOMPARE(
            targetValue(definition, &instance, twice, int64_t(3)), ParamValue(std::numeric_limits<int64_t>::max()));
        QCOMPARE(parseParamTarget("dw.groups*in_channels*6")->times, (std::vector<std::string> { "in_channels", "6" }));
        QVERIFY(!parseParamTarget("dw.groups*"));
        QVERIFY(!isIntegerFactor("06") && !isIntegerFactor("-2") && isIntegerFactor("6"));
    }

    void multipliedTargetsRoundTripAndRefuseMistakes()
    {
        Project project;
        project.graph = expandingGraph();
        const std::string text = serializeProject(project);
        QVERIFY(text.find("\"expand.out_channels*in_channels\"") != std::string::npos);
        const Project loaded = parseProject(text, "expanding.netdraft");
        QVERIFY(loaded.graph == project.graph);
        QCOMPARE(serializeProject(loaded), text);
        auto replaced = [&](const std::string& from, const std::string& to) {
            std::string changed = text;
            const size_t at = changed.find(from);
            return at == std::string::npos ? "(no " + from + ")" : changed.replace(at, from.size(), to);
        };
        QCOMPARE(firstLoadProblem(replaced("\"dw.groups*in_channels\"", "\"dw.groups*width\"")),
            std::string("$.graph.composites[0].parameters[1].targets[2]: factor 'width' is neither a positive integer "
                        "nor an integer parameter of InvertedResidual"));
        QCOMPARE(firstLoadProblem(replaced("\"dw.stride\"", "\"dw.stride*in_channels\"")),
            std::string("$.graph.composites[0].parameters[3].targets[0]: dw.stride is an integer or a list of 2 "
                        "integers: only an integer parameter can be multiplied by factors"));
        QCOMPARE(firstLoadProblem(replaced("\"dw.groups*in_channels\"", "\"dw.groups*stride\"")),
            std::string("$.graph.composites[0].parameters[1].targets[2]: factor 'stride' is neither a positive integer "
                        "nor an integer parameter of InvertedResidual"));
    }

    // A product needs numbers: no auto offered for its parameters, and auto from a file is named on the block.
    void autoInAProductIsAnErrorOnTheInstance()
    {
        const Graph graph = expandingGraph();
        const CompositeDefinition& definition = *graph.findComposite("InvertedResidual");
        for (const char* name : { "in_channels", "expansion" })
            QVERIFY2(!compositeParameterSpec(graph, definition, name)->inferred, name);
        QCOMPARE(productProblem(definition, &graph.block("e2")), std::optional<std::string>());
        const std::string factor = "InvertedResidual: expansion uses in_channels (expand.out_channels = expansion × "
                                   "in_channels), which must be a number, not auto";
        const std::string scaled = "InvertedResidual: expansion is multiplied by in_channels (expand.out_channels = "
                                   "expansion × in_channels), so it must be a number, not auto";
        for (const auto& [name, expected] : { std::pair { "in_channels", factor }, std::pair { "expansion", scaled } }) {
            const std::string message = expected;
            Graph automatic = graph;
            automatic.block("e2").params[name] = Auto {};
            QCOMPARE(productProblem(*automatic.findComposite("InvertedResidual"), &automatic.block("e2")),
                std::optional<std::string>(message));
            const std::vector<Problem> problems = inferShapes(automatic).problems();
            const bool named = std::any_of(problems.begin(), problems.end(), [&](const Problem& problem) {
                return problem.where == "block e2" && problem.message == message;
            });
            QVERIFY2(named, problems.empty() ? "no problem" : problems.front().toString().c_str());
            QCOMPARE(problems.size(), size_t(1)); // the inner blocks keep their numbers: no errors of theirs
        }
    }

    void removingAFactorDropsTheTargetsItScales()
    {
        const Graph removed = removeCompositeParameter(expandingGraph(), "InvertedResidual", "in_channels");
        const CompositeDefinition* definition = removed.findComposite("InvertedResidual");
        QVERIFY(!definition->findParameter("expansion")); // all three of its targets were scaled by in_channels
        QVERIFY(definition->findParameter("out_channels"));
        QVERIFY(!removed.block("e1").params.count("expansion"));
    }

    void mobileNetExampleComputesItsHiddenWidths()
    {
        const std::filesystem::path path
            = std::filesystem::path(NETDRAFT_SOURCE_DIR) / "projects/mobilenetv2_shapes.netdraft";
        const Project project = loadProjectFile(path.string());
        const Graph flat = expandComposites(project.graph).graph;
        // torchvision's t1 then t6 over 16, 16, 24, 24, 32 input channels, as the instances once set by hand.
        const std::vector<std::pair<std::string, int64_t>> hidden { { "ir1__block__expand", 16 }, { "ir2__expand", 96 },
            { "ir3__block__expand", 144 }, { "ir4__expand", 144 }, { "ir5__block__expand", 192 } };
        for (const auto& [id, width] : hidden) {
            QCOMPARE(flat.block(id).params.at("out_channels"), ParamValue(width));
            const std::string dw = id.substr(0, id.size() - std::string("expand").size()) + "dw";
            QCOMPARE(flat.block(dw).params.at("groups"), ParamValue(width));
        }
        QVERIFY(!inferShapes(project.graph).hasErrors());
        QCOMPARE(buildModel(project.graph, 1)->totalParameters(), int64_t(45674));
    }
};

NETDRAFT_TEST(CompositeParametersTest);
#include "CompositeParametersTest.moc"
