// Every undo command: do, undo, redo gives back exactly the project before and after.

#include "editor/AutoLayout.h"
#include "engine/core/Error.h"
#include "editor/ClipboardFormat.h"
#include "editor/GraphDocument.h"
#include "editor/commands/AddBlocks.h"
#include "editor/commands/AutoLayout.h"
#include "editor/commands/Connect.h"
#include "editor/commands/Disconnect.h"
#include "editor/commands/MoveBlocks.h"
#include "editor/commands/Paste.h"
#include "editor/commands/RemoveBlocks.h"
#include "editor/commands/RenameBlock.h"
#include "editor/commands/SetParameter.h"
#include "editor/commands/SetSetting.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QSignalSpy>
#include <QTest>

#include <functional>
#include <map>

using namespace netdraft;
using namespace netdraft::editor;

namespace {

using Edit = std::function<void(GraphDocument&)>;

const std::map<QString, Edit>& edits()
{
    static const std::map<QString, Edit> table {
        { "add",
            [](GraphDocument& d) {
                d.addBlock("ReLU", { 40, 300 });
            } },
        { "remove middle block", [](GraphDocument& d) { d.push(new commands::RemoveBlocks(d, { "conv2" })); } },
        { "remove first and last",
            [](GraphDocument& d) {
                d.push(new commands::RemoveBlocks(d, { "input", "output", "relu2" }));
            } },
        { "disconnect first connection",
            [](GraphDocument& d) { d.push(new commands::Disconnect(d, d.graph().connections().front())); } },
        { "disconnect then connect elsewhere",
            [](GraphDocument& d) {
                d.push(new commands::Disconnect(d, *d.graph().connectionInto({ "relu1", "in" })));
                d.push(new commands::Connect(d, { { "input", "out" }, { "relu1", "in" } }));
            } },
        { "move",
            [](GraphDocument& d) {
                d.push(new commands::MoveBlocks(d, { { "conv1", { 15, 25 } }, { "fc", { -5, 0 } } }));
            } },
        { "set parameter",
            [](GraphDocument& d) { d.push(new commands::SetParameter(d, "conv1", "out_channels", int64_t(48))); } },
        { "pin inferred",
            [](GraphDocument& d) { d.push(new commands::SetParameter(d, "fc", "in_features", int64_t(2048))); } },
        { "rename", [](GraphDocument& d) { d.push(new commands::RenameBlock(d, "conv1", "First convolution")); } },
        { "paste copy of the chain",
            [](GraphDocument& d) {
                d.push(new commands::Paste(d, copyFragment(d.graph(), { "conv1", "relu1", "pool1" }), { 0, 200 }));
            } },
        { "auto-layout", [](GraphDocument& d) { d.push(new commands::AutoLayout(d, computeAutoLayout(d.graph()))); } },
        { "set training setting",
            [](GraphDocument& d) {
                d.push(new commands::SetSetting(d, SettingSection::Training, "learning_rate", 0.0005));
            } },
        { "set dataset settings",
            [](GraphDocument& d) {
                d.push(new commands::SetSetting(d, SettingSection::Dataset, "validation_fraction", 0.25));
                d.push(new commands::SetSetting(d, SettingSection::Dataset, "kind", std::string("spirals")));
            } },
        { "add with connection",
            [](GraphDocument& d) {
                engine::Block extra = d.makeBlock("ReLU", { 0, 400 });
                d.push(new commands::AddBlocks(d, { extra }, { { { "input", "out" }, { extra.id, "in" } } }));
            } },
    };
    return table;
}

} // namespace

class CommandRoundTripTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<QString>("edit");
        for (const auto& [name, edit] : edits())
            QTest::newRow(name.toUtf8().constData()) << name;
    }

    void roundTrip()
    {
        QFETCH(QString, edit);
        GraphDocument document(tests::classicCnnProject(true));
        const engine::Project before = document.project();
        edits().at(edit)(document);
        const engine::Project after = document.project();
        QVERIFY2(!(after == before), "the edit changed nothing");
        QVERIFY(document.undoStack()->canUndo());

        while (document.undoStack()->canUndo())
            document.undoStack()->undo();
        QCOMPARE(tests::describeProject(document.project()), tests::describeProject(before));
        QVERIFY(document.project() == before);

        while (document.undoStack()->canRedo())
            document.undoStack()->redo();
        QCOMPARE(tests::describeProject(document.project()), tests::describeProject(after));
        QVERIFY(document.project() == after);
    }

    void inferenceFollowsEveryStep()
    {
        GraphDocument document(tests::classicCnnProject(true));
        QSignalSpy inferred(&document, &GraphDocument::inferenceUpdated);
        QCOMPARE(document.inference().find("conv2")->output->toString(), std::string("N\u00d764\u00d716\u00d716"));
        // The edit returns at once; the worker's result arrives through the event loop.
        document.push(new commands::SetParameter(document, "conv2", "out_channels", int64_t(100)));
        QVERIFY(document.inferencePending());
        QCOMPARE(inferred.count(), 0);
        QTRY_COMPARE(inferred.count(), 1);
        QVERIFY(!document.inferencePending());
        QCOMPARE(document.latestInference().find("conv2")->output->toString(),
            std::string("N\u00d7100\u00d716\u00d716"));
        // Reading inference() before the worker is done computes it at once, and views still hear of
        // it exactly once.
        document.undoStack()->undo();
        QCOMPARE(document.inference().find("conv2")->output->toString(), std::string("N\u00d764\u00d716\u00d716"));
        QVERIFY(!document.inferencePending());
        QTRY_COMPARE(inferred.count(), 2);
        QTest::qWait(100);
        QCOMPARE(inferred.count(), 2);
    }

    void aBurstOfEditsPublishesTheLastOne()
    {
        GraphDocument document(tests::classicCnnProject(true));
        QSignalSpy inferred(&document, &GraphDocument::inferenceUpdated);
        for (int64_t channels = 20; channels <= 40; ++channels)
            document.push(new commands::SetParameter(document, "conv2", "out_channels", channels));
        QTRY_VERIFY(!document.inferencePending());
        QTest::qWait(100);
        QVERIFY2(inferred.count() >= 1 && inferred.count() <= 3, qPrintable(QString::number(inferred.count())));
        QCOMPARE(document.latestInference().find("conv2")->output->toString(),
            std::string("N\u00d740\u00d716\u00d716"));
    }

    void removeEmitsFineGrainedSignals()
    {
        GraphDocument document(tests::classicCnnProject(true));
        QSignalSpy blocksRemoved(&document, &GraphDocument::blockRemoved);
        QSignalSpy connectionsRemoved(&document, &GraphDocument::connectionRemoved);
        QSignalSpy connectionsAdded(&document, &GraphDocument::connectionAdded);
        document.push(new commands::RemoveBlocks(document, { "conv2" }));
        QCOMPARE(blocksRemoved.count(), 1);
        QCOMPARE(blocksRemoved.front().front().toString(), QString("conv2"));
        QCOMPARE(connectionsRemoved.count(), 2);
        document.undoStack()->undo();
        QCOMPARE(connectionsAdded.count(), 2);
    }

    void aSettingChangeSaysWhichFieldAndLeavesTheGraphAlone()
    {
        GraphDocument document(tests::classicCnnProject(true));
        (void)document.inference();
        QSignalSpy settings(&document, &GraphDocument::settingChanged);
        QSignalSpy inferred(&document, &GraphDocument::inferenceUpdated);
        QSignalSpy reset(&document, &GraphDocument::projectReset);
        // Typing a learning rate digit by digit is one undo step.
        for (double rate : { 0.2, 0.02, 0.002 })
            document.push(new commands::SetSetting(document, SettingSection::Training, "learning_rate", rate));
        QCOMPARE(document.project().training.learningRate, 0.002);
        QCOMPARE(document.undoStack()->count(), 1);
        QCOMPARE(settings.count(), 3);
        QCOMPARE(settings.back().at(0).value<SettingSection>(), SettingSection::Training);
        QCOMPARE(settings.back().at(1).toString(), QString("learning_rate"));
        QVERIFY(!document.inferencePending());
        document.push(new commands::SetSetting(document, SettingSection::Dataset, "kind", std::string("spirals")));
        QCOMPARE(document.project().dataset.kind, std::string("spirals"));
        QCOMPARE(settings.back().at(0).value<SettingSection>(), SettingSection::Dataset);
        document.undoStack()->undo();
        QCOMPARE(document.project().dataset.kind, std::string("shapes"));
        QTest::qWait(50);
        QCOMPARE(inferred.count(), 0);
        QCOMPARE(reset.count(), 0);
        bool refused = false;
        try {
            commands::SetSetting(document, SettingSection::Training, "learning_speed", 1.0);
        } catch (const engine::Error& error) {
            refused = std::string(error.what()) == "unknown setting \"learning_speed\"";
        }
        QVERIFY(refused);
    }

    void refusedConnectLeavesNoStep()
    {
        GraphDocument document(tests::classicCnnProject(true));
        const int steps = document.undoStack()->count();
        // relu1.in is taken: the graph refuses, the command becomes obsolete and is dropped.
        document.push(new commands::Connect(document, { { "input", "out" }, { "relu1", "in" } }));
        QCOMPARE(document.undoStack()->count(), steps);
        QCOMPARE(document.graph().connectionInto({ "relu1", "in" })->from.block, std::string("conv1"));
    }
};

NETDRAFT_TEST(CommandRoundTripTest);
#include "CommandRoundTripTest.moc"
