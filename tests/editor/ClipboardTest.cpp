// Cut/copy/paste through the system clipboard, between two documents and within one.

#include "editor/BlockItem.h"
#include "editor/ClipboardFormat.h"
#include "editor/GraphScene.h"
#include "editor/MimeTypes.h"
#include "editor/commands/Paste.h"
#include "editor/commands/RenameBlock.h"
#include "engine/core/Error.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QMimeData>
#include <QTest>

#include <set>

using namespace netdraft;
using namespace netdraft::editor;

class ClipboardTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void copyPasteBetweenDocuments()
    {
        GraphDocument source(tests::classicCnnProject(true));
        GraphScene sourceScene(source);
        GraphDocument target;
        GraphScene targetScene(target);
        sourceScene.selectBlocks({ "conv2", "relu2", "pool2" });
        sourceScene.copySelection();
        QVERIFY(QGuiApplication::clipboard()->mimeData()->hasFormat(kBlocksMimeType));

        targetScene.paste();
        QCOMPARE(target.graph().blocks().size(), size_t(3));
        QCOMPARE(target.graph().connections().size(), size_t(2)); // only those among the copied blocks
        for (const char* id : { "conv2", "relu2", "pool2" }) {
            const engine::Block& pasted = target.graph().block(id);
            // Same ids, params and positions: nothing was taken. Parameters travel in the project file's
            // canonical form (padding 1 arrives as [1, 1]), so compare them as a file writes them.
            const engine::Block& original = source.graph().block(id);
            QCOMPARE(pasted.id, original.id);
            QCOMPARE(encodeFragment({ { pasted } }), encodeFragment({ { original } }));
        }
        QCOMPARE(targetScene.selectedBlockIds(), QStringList({ "conv2", "relu2", "pool2" }));
        QCOMPARE(target.undoStack()->count(), 1);
        target.undoStack()->undo();
        QVERIFY(target.graph().blocks().empty());
    }

    void pastedIdsGetFreshIdsWhenTaken()
    {
        GraphDocument document(tests::classicCnnProject(true));
        GraphScene scene(document);
        scene.selectBlocks({ "conv1", "relu1" });
        scene.copySelection();
        scene.paste();
        const QStringList pasted = scene.selectedBlockIds();
        QCOMPARE(pasted, QStringList({ "conv4", "relu4" }));
        QVERIFY(document.graph().connectionInto({ "relu4", "in" }).has_value());
        QCOMPARE(document.graph().connectionInto({ "relu4", "in" })->from.block, std::string("conv4"));
        QVERIFY(!document.graph().connectionInto({ "conv4", "in" })); // its input came from outside
        // Shifted so that the copy does not hide the original.
        QVERIFY(!(document.graph().block("conv4").position == document.graph().block("conv1").position));
        scene.paste();
        QCOMPARE(scene.selectedBlockIds(), QStringList({ "conv5", "relu5" }));
        QVERIFY(!(document.graph().block("conv5").position == document.graph().block("conv4").position));
    }

    // Issue 16 item 9: a pasted copy showed the same display name as its original.
    void pastedDisplayNamesAreUnique()
    {
        GraphDocument document(tests::classicCnnProject(true));
        GraphScene scene(document);
        document.push(new commands::RenameBlock(document, "conv2", "features2"));
        document.push(new commands::RenameBlock(document, "pool2", "Downsample"));
        scene.selectBlocks({ "conv2", "pool2" });
        scene.copySelection();
        scene.paste();
        scene.paste();
        auto shown = [&](const char* id) { return document.graph().block(id).displayName(); };
        // Ids and display names both get the next free number; the originals keep theirs.
        QCOMPARE(shown("conv2"), std::string("features2"));
        QCOMPARE(shown("conv4"), std::string("features3"));
        QCOMPARE(shown("conv5"), std::string("features4"));
        QCOMPARE(shown("pool2"), std::string("Downsample"));
        QCOMPARE(shown("pool4"), std::string("Downsample2"));
        QCOMPARE(shown("pool5"), std::string("Downsample3"));
        std::set<std::string> names;
        for (const engine::Block& block : document.graph().blocks())
            QVERIFY2(names.insert(block.displayName()).second, block.displayName().c_str());
        document.undoStack()->undo();
        QVERIFY(!document.graph().findBlock("conv5"));
    }

    void nextFreeNameCountsOnFromTheCopiedNumber_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("taken");
        QTest::addColumn<QString>("expected");
        QTest::newRow("number") << "features2" << QStringList { "features2" } << "features3";
        QTest::newRow("skips taken") << "features2" << QStringList { "features2", "features3" } << "features4";
        QTest::newRow("no number") << "Stem" << QStringList { "Stem" } << "Stem2";
        QTest::newRow("lower numbers stay free") << "block7" << QStringList { "block7" } << "block8";
        QTest::newRow("only digits") << "42" << QStringList { "42" } << "43";
    }
    void nextFreeNameCountsOnFromTheCopiedNumber()
    {
        QFETCH(QString, name);
        QFETCH(QStringList, taken);
        QFETCH(QString, expected);
        std::set<std::string> names;
        for (const QString& each : taken)
            names.insert(each.toStdString());
        QCOMPARE(QString::fromStdString(commands::nextFreeName(name.toStdString(), names)), expected);
    }

    // A pasted block without a display name shows its fresh id: when another block already shows that
    // as its name, the copy gets a name of its own.
    void pastedIdThatAnotherBlockShowsGetsAName()
    {
        GraphDocument document(tests::classicCnnProject(true));
        GraphScene scene(document);
        document.push(new commands::RenameBlock(document, "relu3", "relu4"));
        scene.selectBlocks({ "relu1" });
        scene.copySelection();
        scene.paste();
        QCOMPARE(scene.selectedBlockIds(), QStringList({ "relu4" }));
        QCOMPARE(document.graph().block("relu4").displayName(), std::string("relu5"));
    }

    void cutRemovesAndPasteRestores()
    {
        GraphDocument document(tests::classicCnnProject(true));
        GraphScene scene(document);
        const engine::Block fc = document.graph().block("fc");
        scene.selectBlocks({ "fc" });
        scene.cutSelection();
        QVERIFY(!document.graph().findBlock("fc"));
        QCOMPARE(document.undoStack()->count(), 1);
        scene.paste();
        QVERIFY(document.graph().findBlock("fc"));
        QVERIFY(document.graph().block("fc") == fc);
    }

    void duplicateKeepsInternalConnections()
    {
        GraphDocument document(tests::classicCnnProject(true));
        GraphScene scene(document);
        scene.selectBlocks({ "conv3", "relu3", "pool3" });
        scene.duplicateSelection();
        QCOMPARE(scene.selectedBlockIds().size(), 3);
        QCOMPARE(document.graph().connections().size(), tests::classicCnnProject(true).graph.connections().size() + 2);
        QVERIFY(scene.blockItem("conv4"));
    }

    void formatRoundTripsEveryValueKind()
    {
        engine::Block block;
        block.id = "conv7";
        block.type = "Conv2d";
        block.name = "Wide \u00e9";
        block.position = { 12.5, -40 };
        block.params = { { "in_channels", engine::Auto {} }, { "out_channels", int64_t(64) },
            { "kernel_size", engine::IntList { 3, 5 } }, { "padding", std::string("same") }, { "bias", false } };
        engine::Block input;
        input.id = "input";
        input.type = "Input";
        input.params = { { "shape", engine::IntList { 1, 28, 28 } } };
        BlockFragment fragment { { input, block }, { { { "input", "out" }, { "conv7", "in" } } } };
        const BlockFragment back = decodeFragment(encodeFragment(fragment));
        QCOMPARE(back.blocks.size(), size_t(2));
        QVERIFY(back.blocks[0] == input);
        QVERIFY(back.blocks[1] == block);
        QVERIFY(back.connections == fragment.connections);
    }

    void malformedClipboardIsRefusedWithItsPlace_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{\"format\": ") << "not JSON";
        QTest::newRow("other format") << QByteArray("{\"format\": \"x\", \"version\": 1}") << "\"format\"";
        QTest::newRow("future version") << QByteArray(R"({"format":"netdraft-blocks","version":9})") << "version 9";
        QTest::newRow("unknown type") << QByteArray(
            R"({"format":"netdraft-blocks","version":1,"blocks":[{"id":"a","type":"Nope","position":[0,0]}]})")
                                      << "blocks[0].type: unknown layer type 'Nope'";
        QTest::newRow("dangling connection") << QByteArray(
            R"({"format":"netdraft-blocks","version":1,"blocks":[{"id":"a","type":"ReLU","position":[0,0]}],)"
            R"("connections":[{"from":"a.out","to":"b.in"}]})")
                                             << "connections[0] joins blocks that are not in the clipboard";
    }

    void malformedClipboardIsRefusedWithItsPlace()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        try {
            decodeFragment(json);
            QFAIL("decodeFragment accepted malformed JSON");
        } catch (const engine::Error& error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains(expected), error.what());
        }
        // Pasting it reports instead of changing the document.
        GraphDocument document;
        GraphScene scene(document);
        QString message;
        connect(&scene, &GraphScene::statusMessage, this, [&](const QString& text) { message = text; });
        scene.pasteJson(json, std::nullopt);
        QVERIFY(document.graph().blocks().empty());
        QVERIFY(message.contains(expected));
    }
};

NETDRAFT_TEST(ClipboardTest);
#include "ClipboardTest.moc"
