// What the canvas shows: key parameters, output shapes, shape labels, and the error badge of the
// naive classic CNN on fc with the 131072 message.

#include "editor/BlockFaceText.h"
#include "editor/BlockGeometry.h"
#include "editor/BlockItem.h"
#include "editor/ConnectionItem.h"
#include "editor/GraphScene.h"
#include "editor/commands/MoveBlocks.h"
#include "editor/commands/SetParameter.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/engine/TestGraphs.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

using namespace netdraft;
using namespace netdraft::editor;

class ErrorBadgeTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void naiveCnnMarksOnlyFc()
    {
        GraphDocument document(tests::classicCnnProject(false));
        GraphScene scene(document);
        BlockItem* fc = scene.blockItem("fc");
        QVERIFY(fc->hasErrors());
        QCOMPARE(fc->errors().size(), 1);
        QVERIFY2(fc->errors().front().contains("Linear expects 128 input features but receives 131072"),
            qPrintable(fc->errors().front()));
        QVERIFY(fc->toolTip().contains("131072"));
        for (const engine::Block& block : document.graph().blocks())
            if (block.id != "fc")
                QVERIFY2(!scene.blockItem(QString::fromStdString(block.id))->hasErrors(), block.id.c_str());
        QCOMPARE(
            scene.connectionItem(*document.graph().connectionInto({ "fc", "in" }))->label(), QString("N\u00d7131072"));
    }

    void warningsAreOneAmberLineEach()
    {
        // Inference's warnings and the cost count's read alike in the tooltip, each once, in that order,
        // whichever of the two changes last.
        const engine::Graph graph = tests::classicCnn(true);
        BlockItem item(graph.block("fc"));
        engine::BlockInference inference;
        inference.output = engine::Shape({ -1, 10 });
        inference.warnings = { "inference says <careful>" };
        item.refresh(graph.block("fc"), &inference);
        item.setParameterFigure("1.31 M params", { "the cost count says so" });
        const QString amber = "<br><span style='color:#B45309'>&#9888; %1</span>";
        const QString expected = amber.arg("inference says &lt;careful&gt;") + amber.arg("the cost count says so");
        QCOMPARE(item.toolTip().count("color:#B45309"), 2);
        QVERIFY2(item.toolTip().contains(expected), qPrintable(item.toolTip()));
        inference.warnings.push_back("and again");
        item.refresh(graph.block("fc"), &inference);
        QCOMPARE(item.toolTip().count("color:#B45309"), 3);
        QVERIFY2(item.toolTip().contains(amber.arg("and again") + amber.arg("the cost count says so")),
            qPrintable(item.toolTip()));
        QCOMPARE(item.warnings(), QStringList({ "inference says <careful>", "and again", "the cost count says so" }));
    }

    void fixingTheParameterClearsTheBadge()
    {
        GraphDocument document(tests::classicCnnProject(false));
        GraphScene scene(document);
        document.push(new commands::SetParameter(document, "fc", "in_features", engine::Auto {}));
        QVERIFY(tests::waitForShapes(scene));
        QVERIFY(!scene.blockItem("fc")->hasErrors());
        document.undoStack()->undo();
        QVERIFY(tests::waitForShapes(scene));
        QVERIFY(scene.blockItem("fc")->hasErrors());
    }

    // Issue 16 item 8: the face shows the stride, padding and dilation that differ from their defaults.
    void kernelLineCarriesNonDefaultWindowParameters_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("parameter");
        QTest::addColumn<engine::ParamValue>("value");
        QTest::addColumn<QString>("line");
        QTest::newRow("padding") << "Conv2d"
                                 << "padding" << engine::ParamValue(engine::IntList { 1, 1 })
                                 << "kernel_size 3\u00d73 p1";
        QTest::newRow("stride and padding as an int")
            << "Conv2d"
            << "stride" << engine::ParamValue(int64_t(2)) << "kernel_size 3\u00d73 s2 p1";
        QTest::newRow("uneven padding") << "Conv2d"
                                        << "padding" << engine::ParamValue(engine::IntList { 1, 2 })
                                        << "kernel_size 3\u00d73 p1\u00d72";
        QTest::newRow("a word") << "Conv2d"
                                << "padding" << engine::ParamValue(std::string("same"))
                                << "kernel_size 3\u00d73 p same";
        QTest::newRow("defaults show nothing")
            << "Conv2d"
            << "padding" << engine::ParamValue(engine::IntList { 0, 0 }) << "kernel_size 3\u00d73";
        QTest::newRow("dilation") << "Conv2d"
                                  << "dilation" << engine::ParamValue(int64_t(2)) << "kernel_size 3\u00d73 p1 d2";
        QTest::newRow("pooling's default stride")
            << "MaxPool2d"
            << "kernel_size" << engine::ParamValue(engine::IntList { 2, 2 }) << "kernel_size 2\u00d72";
        QTest::newRow("pooling's stride 1") << "MaxPool2d"
                                            << "stride" << engine::ParamValue(int64_t(1)) << "kernel_size 2\u00d72 s1";
    }
    void kernelLineCarriesNonDefaultWindowParameters()
    {
        QFETCH(QString, type);
        QFETCH(QString, parameter);
        QFETCH(engine::ParamValue, value);
        QFETCH(QString, line);
        engine::Graph graph = tests::classicCnnProject(true).graph; // its convolutions have padding 1
        engine::Block& block = graph.block(type == "Conv2d" ? "conv2" : "pool2");
        block.params[parameter.toStdString()] = value;
        QStringList lines; // as BlockItem::bodyLines writes them
        for (const auto& [name, text] : faceParameters(block, nullptr))
            lines << name + QLatin1Char(' ') + text;
        QVERIFY2(lines.contains(line), qPrintable(lines.join(" | ")));
    }

    // Issue 16 item 9: the face shows the display name; the tooltip adds the id where it differs.
    void toolTipAddsTheIdOfANamedBlock()
    {
        engine::Block block = tests::classicCnnProject(true).graph.block("conv2");
        QVERIFY(BlockItem(block).toolTip().startsWith("<b>conv2</b> (Conv2d)"));
        block.name = "features2";
        QVERIFY2(BlockItem(block).toolTip().startsWith("<b>features2</b> (Conv2d, id conv2)"),
            qPrintable(BlockItem(block).toolTip()));
    }

    void blocksShowKeyParametersAndOutputShape()
    {
        GraphDocument document(tests::classicCnnProject(true));
        GraphScene scene(document);
        const QStringList conv2 = scene.blockItem("conv2")->bodyLines();
        QVERIFY2(conv2.contains("out_channels 64"), qPrintable(conv2.join(" | ")));
        QVERIFY2(
            conv2.contains("kernel_size 3\u00d73 p1"), qPrintable(conv2.join(" | "))); // padding 1 is not the default
        QCOMPARE(conv2.back(), QString("N\u00d764\u00d716\u00d716"));
        const auto into = document.graph().connectionInto({ "relu2", "in" });
        QCOMPARE(scene.connectionItem(*into)->label(), QString("N\u00d764\u00d716\u00d716"));
        // The label follows the document.
        document.push(new commands::SetParameter(document, "conv2", "out_channels", int64_t(16)));
        QVERIFY(tests::waitForShapes(scene));
        QCOMPARE(scene.connectionItem(*into)->label(), QString("N\u00d716\u00d716\u00d716"));
        QVERIFY(scene.blockItem("conv2")->bodyLines().contains("out_channels 16"));
    }

    void aLabelWithoutRoomBetweenTheBlocksMovesToTheTooltip()
    {
        GraphDocument document(tests::classicCnnProject(true));
        GraphScene scene(document);
        const auto into = *document.graph().connectionInto({ "relu2", "in" });
        ConnectionItem* wire = scene.connectionItem(into);
        const engine::Point conv2 = document.graph().block("conv2").position;
        // 150 px between the blocks: room for "N×64×16×16" (auto-layout leaves 110 px).
        document.push(
            new commands::MoveBlocks(document, { { "relu2", { conv2.x + geometry::kBlockWidth + 150, conv2.y } } }));
        QVERIFY(!wire->labelRect().isEmpty());
        // relu2 right beside conv2: 10 px between them, far less than the label needs.
        document.push(
            new commands::MoveBlocks(document, { { "relu2", { conv2.x + geometry::kBlockWidth + 10, conv2.y } } }));
        QVERIFY(wire->labelRect().isEmpty());
        QCOMPARE(wire->label(), QString("N\u00d764\u00d716\u00d716"));
        QVERIFY2(wire->toolTip().contains(wire->label()), qPrintable(wire->toolTip()));
        document.push(
            new commands::MoveBlocks(document, { { "relu2", { conv2.x + geometry::kBlockWidth + 150, conv2.y } } }));
        QVERIFY(!wire->labelRect().isEmpty());
    }
};

NETDRAFT_TEST(ErrorBadgeTest);
#include "ErrorBadgeTest.moc"
