// Shape inference over whole graphs: shapes on connections, errors on the right block.

#include "engine/graph/GraphBuilder.h"
#include "engine/inference/ShapeInference.h"
#include "tests/engine/TestGraphs.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

using namespace netdraft::engine;

class ShapeInferenceTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void correctedClassicCnnHasNoErrors()
    {
        InferenceResult result = inferShapes(netdraft::tests::classicCnn(true));
        QVERIFY2(!result.hasErrors(), joinProblems(result.problems()).c_str());
        QCOMPARE(result.find("conv3")->output->toString(), std::string("N\u00d7128\u00d78\u00d78"));
        QCOMPARE(result.find("pool3")->output->toString(), std::string("N\u00d7128\u00d74\u00d74"));
        QCOMPARE(result.find("flatten")->output->toString(), std::string("N\u00d72048"));
        QCOMPARE(std::get<int64_t>(result.find("fc")->inferred.at("in_features")), int64_t(2048));
        QCOMPARE(std::get<int64_t>(result.find("conv2")->inferred.at("in_channels")), int64_t(32));
    }

    void naiveClassicCnnNamesTheLinearBlock()
    {
        InferenceResult result = inferShapes(netdraft::tests::classicCnn(false));
        QVERIFY(result.hasErrors());
        std::vector<Problem> problems = result.problems();
        std::vector<Problem> errors;
        for (const Problem& p : problems)
            if (p.isError())
                errors.push_back(p);
        QCOMPARE(errors.size(), size_t(1));
        QCOMPARE(errors[0].blockId, std::string("fc"));
        const std::string& message = errors[0].message;
        QVERIFY2(message.find("Linear expects 128 input features but receives 131072 (128\u00d732\u00d732)")
                     != std::string::npos,
                 message.c_str());
        QVERIFY2(message.find("add pooling") != std::string::npos, message.c_str());
        QVERIFY2(message.find("in_features") != std::string::npos, message.c_str());
        QCOMPARE(result.find("flatten")->output->toString(), std::string("N\u00d7131072"));
    }

    void connectionShapes()
    {
        Graph graph = netdraft::tests::classicCnn(true);
        InferenceResult result = inferShapes(graph);
        auto into = graph.connectionInto({"relu1", "in"});
        QVERIFY(into.has_value());
        QCOMPARE(result.shapeOf(*into)->toString(), std::string("N\u00d732\u00d732\u00d732"));
    }

    void reportsEveryErrorNotOnlyTheFirst()
    {
        GraphBuilder builder;
        builder.input({3, 8, 8})
            .then("Conv2d", {{"kernel_size", IntList{0, 3}}}, "bad1")
            .then("ReLU")
            .add("Conv2d", {{"out_channels", int64_t(-4)}}, "bad2")
            .output();
        InferenceResult result = inferShapes(builder.graph());
        QVERIFY(!result.find("bad1")->errors.empty());
        QVERIFY(!result.find("bad2")->errors.empty());
        QVERIFY(joinProblems(result.problems()).find("block bad1: kernel_size must be >= 1, got 0") != std::string::npos);
        QVERIFY(joinProblems(result.problems()).find("block bad2: out_channels must be >= 1, got -4") != std::string::npos);
        QVERIFY(joinProblems(result.problems()).find("input 'in' is not connected") != std::string::npos);
    }

    void kernelLargerThanInput()
    {
        GraphBuilder builder;
        builder.input({1, 4, 4}).then("Conv2d", {{"kernel_size", int64_t(7)}}, "big").then("Flatten").then("Linear").output();
        InferenceResult result = inferShapes(builder.graph());
        QCOMPARE(result.find("big")->errors.size(), size_t(1));
        QVERIFY2(result.find("big")->errors[0].find("larger than the padded input") != std::string::npos,
                 result.find("big")->errors[0].c_str());
    }

    void cyclesAreReportedOnTheirBlocks()
    {
        GraphBuilder builder;
        builder.input({4}).then("Linear", {}, "a").then("ReLU", {}, "b").output();
        Graph graph = builder.graph();
        graph.disconnect({{"input", "out"}, {"a", "in"}});
        graph.connect({{"b", "out"}, {"a", "in"}});
        InferenceResult result = inferShapes(graph);
        QVERIFY(result.hasErrors());
        QVERIFY(result.find("a")->errors.front().find("cycle") != std::string::npos);
        QVERIFY(result.find("b")->errors.front().find("cycle") != std::string::npos);
    }

    // Messages name a block as the canvas does, with the id where it differs (issue 16 item 9).
    void messagesNameBlocksByDisplayName()
    {
        Graph graph = netdraft::tests::classicCnn(false);
        graph.block("fc").name = "classifier";
        InferenceResult result = inferShapes(graph);
        const std::vector<Problem> problems = result.problems();
        QCOMPARE(problems.front().where, std::string("block classifier (fc)"));
        QCOMPARE(problems.front().blockId, std::string("fc")); // what the app selects by
        QCOMPARE(result.blockLabel("conv1"), std::string("conv1")); // unnamed: the id, once
        graph.block("conv1").name = "conv1"; // a name equal to the id adds nothing
        QCOMPARE(inferShapes(graph).blockLabel("conv1"), std::string("conv1"));

        GraphBuilder builder;
        builder.input({4}).then("Linear", {}, "a").then("ReLU", {}, "b").output();
        Graph cyclic = builder.graph();
        cyclic.block("a").name = "hidden";
        cyclic.disconnect({{"input", "out"}, {"a", "in"}});
        cyclic.connect({{"b", "out"}, {"a", "in"}});
        const std::string cycle = inferShapes(cyclic).find("b")->errors.front();
        QVERIFY2(cycle.find("is part of a cycle (hidden (a), b, output)") != std::string::npos, cycle.c_str());

        GraphBuilder twoInputs;
        twoInputs.input({4}).output();
        Graph doubled = twoInputs.graph();
        doubled.block("input").name = "images";
        Block second;
        second.id = "input2";
        second.type = "Input";
        second.params = {{"shape", IntList{4}}};
        doubled.addBlock(second);
        const std::string text = joinProblems(inferShapes(doubled).problems());
        QVERIFY2(text.find("block input2: only one Input block is supported; 'images (input)' is already the input")
                     != std::string::npos,
                 text.c_str());
    }

    void missingInputAndOutput()
    {
        Graph graph;
        InferenceResult result = inferShapes(graph);
        const std::string text = joinProblems(result.problems());
        QVERIFY(text.find("no Input block") != std::string::npos);
        QVERIFY(text.find("no Output block") != std::string::npos);
    }

    void rankMismatch()
    {
        GraphBuilder builder;
        builder.input({20}).then("Conv2d", {}, "conv").output();
        InferenceResult result = inferShapes(builder.graph());
        QCOMPARE(result.find("conv")->errors.front(),
                 std::string("Conv2d expects a N\u00d7C\u00d7H\u00d7W input (rank 4), got N\u00d720 (rank 2)"));
    }

    void pinnedInChannelsMismatch()
    {
        GraphBuilder builder;
        builder.input({3, 8, 8}).then("Conv2d", {{"in_channels", int64_t(1)}}, "conv").then("Flatten").then("Linear").output();
        InferenceResult result = inferShapes(builder.graph());
        QCOMPARE(result.find("conv")->errors.front(), std::string("Conv2d expects 1 input channels but receives 3"));
    }
};

NETDRAFT_TEST(ShapeInferenceTest);
#include "ShapeInferenceTest.moc"
