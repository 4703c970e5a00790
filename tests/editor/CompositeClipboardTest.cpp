// Composite instances copied from one document and pasted into another: the clipboard carries the
// definitions they use (nested ones too); paste adds the missing ones, reuses identical ones and renames
// clashing ones, as one undo step.

#include "editor/ClipboardFormat.h"
#include "editor/GraphDocument.h"
#include "editor/GraphScene.h"
#include "editor/MimeTypes.h"
#include "engine/graph/CompositeExpansion.h"
#include "engine/io/ProjectFormat.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QMimeData>
#include <QSignalSpy>
#include <QTest>

using namespace netdraft;
using namespace netdraft::editor;

namespace {

/// A document on the classic CNN with `groups` applied in turn: {blocks, composite name}.
struct Canvas : tests::GroupedCanvas {
    using GroupedCanvas::GroupedCanvas;

    void copy(const QString& id)
    {
        scene.selectBlocks({ id });
        scene.copySelection();
    }

    const engine::CompositeDefinition& definition(const std::string& name) const
    {
        return *document.project().graph.findComposite(name);
    }
};

/// `definition` under another name, and with inner instances of `from` retyped to `to`.
engine::CompositeDefinition renamed(engine::CompositeDefinition definition, const std::string& name,
    const std::string& from = {}, const std::string& to = {})
{
    definition.name = name;
    for (engine::Block& block : definition.blocks)
        if (block.type == from)
            block.type = to;
    return definition;
}

void checkOneUndoStep(GraphDocument& document, const std::string& before)
{
    const std::string after = tests::projectJson(document);
    QCOMPARE(document.undoStack()->count(), 1);
    document.undoStack()->undo();
    QCOMPARE(tests::projectJson(document), before);
    document.undoStack()->redo();
    QCOMPARE(tests::projectJson(document), after);
}

} // namespace

class CompositeClipboardTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pastingIntoAProjectWithoutTheDefinitionAddsIt()
    {
        Canvas source(true, { { { "conv1", "relu1" }, "ConvLayer" } });
        source.copy("convlayer1");
        QVERIFY(QGuiApplication::clipboard()->mimeData()->data(kBlocksMimeType).contains("\"composites\""));

        Canvas target(false, {});
        const std::string before = tests::projectJson(target.document);
        target.scene.paste();
        const engine::Graph& graph = target.document.project().graph;
        QCOMPARE(graph.composites().size(), size_t(1));
        QVERIFY(sameComposite(graph.composites().front(), source.definition("ConvLayer")));
        const QStringList pasted = target.scene.selectedBlockIds();
        QCOMPARE(pasted.size(), 1);
        QCOMPARE(graph.block(pasted.front().toStdString()).type, std::string("ConvLayer"));
        QVERIFY(engine::expandComposites(graph).problems.empty());
        QVERIFY(target.document.inference().find(pasted.front().toStdString()));
        checkOneUndoStep(target.document, before);
        target.document.undoStack()->undo();
        QVERIFY(!target.document.project().graph.findComposite("ConvLayer"));
    }

    void nestedDefinitionsComeAlong()
    {
        Canvas source(true, { { { "conv1", "relu1" }, "ConvLayer" }, { { "convlayer1", "pool1" }, "Stage" } });
        source.copy("stage1");
        Canvas target(false, {});
        const std::string before = tests::projectJson(target.document);
        target.scene.paste();
        const engine::Graph& graph = target.document.project().graph;
        QVERIFY(graph.findComposite("ConvLayer")
            && sameComposite(*graph.findComposite("ConvLayer"), source.definition("ConvLayer")));
        QVERIFY(
            graph.findComposite("Stage") && sameComposite(*graph.findComposite("Stage"), source.definition("Stage")));
        QVERIFY(engine::expandComposites(graph).problems.empty());
        checkOneUndoStep(target.document, before);
    }

    void anIdenticalDefinitionIsReused()
    {
        Canvas source(true, { { { "conv1", "relu1" }, "ConvLayer" } });
        source.copy("convlayer1");
        Canvas target(true, { { { "conv1", "relu1" }, "ConvLayer" } }); // the same definition
        const std::string before = tests::projectJson(target.document);
        QSignalSpy messages(&target.scene, &GraphScene::statusMessage);
        target.scene.paste();
        QCOMPARE(target.document.project().graph.composites().size(), size_t(1));
        QCOMPARE(target.document.project().graph.block("convlayer2").type, std::string("ConvLayer"));
        QCOMPARE(messages.count(), 0);
        checkOneUndoStep(target.document, before);
    }

    void aClashingDefinitionPastesUnderANewName()
    {
        Canvas source(true, { { { "conv1", "relu1" }, "ConvLayer" }, { { "convlayer1", "pool1" }, "Stage" } });
        source.copy("stage1");
        // The target's ConvLayer holds other blocks (conv2 and relu2, 64 channels).
        Canvas target(true, { { { "conv2", "relu2" }, "ConvLayer" } });
        const engine::CompositeDefinition theirs = target.definition("ConvLayer");
        const std::string before = tests::projectJson(target.document);
        QSignalSpy messages(&target.scene, &GraphScene::statusMessage);
        target.scene.paste();

        const engine::Graph& graph = target.document.project().graph;
        QVERIFY(*graph.findComposite("ConvLayer") == theirs); // untouched
        QVERIFY(graph.findComposite("ConvLayer2"));
        QVERIFY(
            sameComposite(*graph.findComposite("ConvLayer2"), renamed(source.definition("ConvLayer"), "ConvLayer2")));
        // Stage is new here, but it now uses ConvLayer2.
        QVERIFY(sameComposite(
            *graph.findComposite("Stage"), renamed(source.definition("Stage"), "Stage", "ConvLayer", "ConvLayer2")));
        QCOMPARE(graph.block(target.scene.selectedBlockIds().front().toStdString()).type, std::string("Stage"));
        QVERIFY(engine::expandComposites(graph).problems.empty());
        QCOMPARE(messages.count(), 1);
        QCOMPARE(messages.front().front().toString(),
            QString("Pasted composite ConvLayer as ConvLayer2: this project has another ConvLayer"));
        checkOneUndoStep(target.document, before);
    }

    void aClashingInstanceIsRetargeted()
    {
        Canvas source(true, { { { "conv1", "relu1" }, "ConvLayer" } });
        source.copy("convlayer1");
        Canvas target(true, { { { "conv2", "relu2" }, "ConvLayer" } });
        target.scene.paste();
        const engine::Graph& graph = target.document.project().graph;
        QCOMPARE(graph.block(target.scene.selectedBlockIds().front().toStdString()).type, std::string("ConvLayer2"));
        QCOMPARE(graph.block("convlayer1").type, std::string("ConvLayer"));
        // Pasting again reuses ConvLayer2: same content under that name.
        target.scene.paste();
        QCOMPARE(graph.composites().size(), size_t(2));
        QCOMPARE(graph.block(target.scene.selectedBlockIds().front().toStdString()).type, std::string("ConvLayer2"));
    }

    void clipboardRoundTripKeepsDefinitions()
    {
        Canvas source(true, { { { "conv1", "relu1" }, "ConvLayer" }, { { "convlayer1", "pool1" }, "Stage" } });
        const BlockFragment fragment = copyFragment(source.document.graph(), { "stage1" });
        QCOMPARE(fragment.composites.size(), size_t(2));
        QCOMPARE(fragment.composites[0].name, std::string("ConvLayer")); // used definitions first
        const BlockFragment back = decodeFragment(encodeFragment(fragment));
        QCOMPARE(back.composites.size(), fragment.composites.size());
        for (size_t i = 0; i < back.composites.size(); ++i)
            QVERIFY(sameComposite(back.composites[i], fragment.composites[i]));
        QVERIFY(!sameComposite(back.composites[0], back.composites[1]));
        QVERIFY(back.blocks == fragment.blocks);
    }

    void aBrokenCarriedDefinitionIsRefused()
    {
        Canvas source(true, { { { "conv1", "relu1" }, "ConvLayer" } });
        QByteArray text = encodeFragment(copyFragment(source.document.graph(), { "convlayer1" }));
        text.replace("\"Conv2d\"", "\"NoSuchLayer\"");
        Canvas target(false, {});
        QSignalSpy messages(&target.scene, &GraphScene::statusMessage);
        target.scene.pasteJson(text, std::nullopt);
        QCOMPARE(target.document.undoStack()->count(), 0);
        QCOMPARE(messages.count(), 1);
        QVERIFY2(messages.front().front().toString().contains("NoSuchLayer"),
            qPrintable(messages.front().front().toString()));
    }
};

NETDRAFT_TEST(CompositeClipboardTest);
#include "CompositeClipboardTest.moc"
