// Repeated edits merge into one undo step: moves of the same blocks, edits of one field, renames.

#include "editor/GraphDocument.h"
#include "editor/commands/MoveBlocks.h"
#include "editor/commands/RenameBlock.h"
#include "editor/commands/SetParameter.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

using namespace netdraft;
using namespace netdraft::editor;

class MergeTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void consecutiveMovesOfTheSameBlocksMerge()
    {
        GraphDocument document(tests::classicCnnProject(true));
        const engine::Point start = document.graph().block("conv1").position;
        for (int step = 1; step <= 5; ++step)
            document.push(new commands::MoveBlocks(
                document, { { "conv1", { start.x + 10 * step, start.y } }, { "relu1", { 10.0 * step, 50 } } }));
        QCOMPARE(document.undoStack()->count(), 1);
        QCOMPARE(document.graph().block("conv1").position.x, start.x + 50);
        document.undoStack()->undo();
        QCOMPARE(document.graph().block("conv1").position.x, start.x);
        QCOMPARE(
            document.graph().block("relu1").position, tests::classicCnnProject(true).graph.block("relu1").position);
    }

    void movesOfOtherBlocksStaySeparate()
    {
        GraphDocument document(tests::classicCnnProject(true));
        document.push(new commands::MoveBlocks(document, { { "conv1", { 5, 5 } } }));
        document.push(new commands::MoveBlocks(document, { { "conv2", { 5, 5 } } }));
        document.push(new commands::MoveBlocks(document, { { "conv2", { 5, 5 } }, { "conv1", { 9, 9 } } }));
        QCOMPARE(document.undoStack()->count(), 3);
    }

    void moveBackToStartLeavesNoStep()
    {
        GraphDocument document(tests::classicCnnProject(true));
        const engine::Point start = document.graph().block("fc").position;
        document.push(new commands::MoveBlocks(document, { { "fc", { start.x + 30, start.y } } }));
        document.push(new commands::MoveBlocks(document, { { "fc", start } }));
        QCOMPARE(document.undoStack()->count(), 0);
        QCOMPARE(document.graph().block("fc").position, start);
    }

    void typingIntoOneFieldMerges()
    {
        GraphDocument document(tests::classicCnnProject(true));
        for (int64_t value : { 2, 25, 256 })
            document.push(new commands::SetParameter(document, "conv3", "out_channels", value));
        QCOMPARE(document.undoStack()->count(), 1);
        QCOMPARE(std::get<int64_t>(document.graph().block("conv3").params.at("out_channels")), int64_t(256));
        // Another field starts a new step.
        document.push(new commands::SetParameter(document, "conv3", "stride", engine::IntList { 2, 2 }));
        QCOMPARE(document.undoStack()->count(), 2);
        document.undoStack()->undo();
        document.undoStack()->undo();
        QCOMPARE(std::get<int64_t>(document.graph().block("conv3").params.at("out_channels")), int64_t(128));
        QVERIFY(document.project() == tests::classicCnnProject(true));
        // Typing back the value the field started with leaves nothing to undo.
        for (int64_t value : { 1, 12, 128 })
            document.push(new commands::SetParameter(document, "conv3", "out_channels", value));
        QCOMPARE(document.undoStack()->count(), 0);
    }

    void renamesMerge()
    {
        GraphDocument document(tests::classicCnnProject(true));
        for (const char* name : { "S", "St", "Stem" })
            document.push(new commands::RenameBlock(document, "conv1", name));
        QCOMPARE(document.undoStack()->count(), 1);
        QCOMPARE(document.graph().block("conv1").displayName(), std::string("Stem"));
        document.undoStack()->undo();
        QCOMPARE(document.graph().block("conv1").displayName(), std::string("conv1"));
    }
};

NETDRAFT_TEST(MergeTest);
#include "MergeTest.moc"
