// Composite parameters in the editor: exposing an inner parameter is one undo step that keeps the
// composite open, an instance's face shows its values, setting one reaches inference, and copy/paste of
// an instance keeps its values (tests/data/v5_composite_parameters.netdraft).

#include "editor/BlockFaceText.h"
#include "editor/GraphDocument.h"
#include "editor/GraphScene.h"
#include "editor/commands/ExposeCompositeParameter.h"
#include "editor/commands/SetParameter.h"
#include "engine/graph/CompositeExpansion.h"
#include "engine/io/ProjectFormat.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <filesystem>

using namespace netdraft;
using namespace netdraft::editor;

namespace {

engine::Project compositeParameterProject()
{
    return engine::loadProjectFile(
        (std::filesystem::path(NETDRAFT_SOURCE_DIR) / "tests/data/v5_composite_parameters.netdraft").string());
}

QStringList instanceFaceLines(const GraphDocument& document, const std::string& id)
{
    QStringList lines;
    for (const auto& [name, value] : faceParameters(document.graph().block(id), nullptr, &document.graph()))
        lines << name + " " + value;
    return lines;
}

std::string instanceOutputShape(const GraphDocument& document, const std::string& id)
{
    const engine::BlockInference* info = document.inference().find(id);
    return info && info->output ? info->output->toString() : "(none)";
}

} // namespace

class CompositeParameterEditingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void exposingIsOneUndoStepInsideTheOpenComposite()
    {
        GraphDocument document(compositeParameterProject());
        document.openComposite("InvertedResidual");
        const std::string before = tests::projectJson(document);
        document.push(new commands::ExposeCompositeParameter(document, "InvertedResidual", "project", "bias", "bias"));
        QCOMPARE(document.scope(), QString("InvertedResidual"));
        const engine::CompositeDefinition* definition = document.project().graph.findComposite("InvertedResidual");
        QCOMPARE(definition->parameters.size(), size_t(4));
        QCOMPARE(definition->parameters.back().name, std::string("bias"));
        QCOMPARE(definition->parameters.back().defaultValue, engine::ParamValue(true)); // the block's value
        QCOMPARE(document.undoStack()->count(), 1);
        QCOMPARE(document.undoStack()->undoText(), QString("Expose project.bias as InvertedResidual's parameter bias"));
        const std::string after = tests::projectJson(document);
        document.undoStack()->undo();
        QCOMPARE(tests::projectJson(document), before);
        QCOMPARE(document.scope(), QString("InvertedResidual"));
        document.undoStack()->redo();
        QCOMPARE(tests::projectJson(document), after);
        // Refused before anything changes: the message names what is wrong.
        try {
            commands::ExposeCompositeParameter refused(document, "InvertedResidual", "dw", "stride", "s");
            QFAIL("a parameter was exposed twice");
        } catch (const engine::Error& error) {
            QCOMPARE(std::string(error.what()),
                std::string("dw.stride is already exposed as InvertedResidual's parameter 'stride'"));
        }
        QCOMPARE(document.undoStack()->count(), 1);
    }

    void instanceFacesShowTheirValues()
    {
        GraphDocument document(compositeParameterProject());
        QCOMPARE(
            instanceFaceLines(document, "b1"), (QStringList { "hidden_channels 12", "stride 2", "out_channels 8" }));
        QCOMPARE(
            instanceFaceLines(document, "b2"), (QStringList { "hidden_channels 18", "stride 1", "out_channels 6" }));
        QCOMPARE(
            instanceFaceLines(document, "b3"), (QStringList { "hidden_channels 48", "stride 1", "out_channels 16" }));
        QCOMPARE(instanceFaceLines(document, "fc"), (QStringList { "out_features 10" })); // layers as before
    }

    void settingAnInstanceParameterReachesInference()
    {
        GraphDocument document(compositeParameterProject());
        QCOMPARE(instanceOutputShape(document, "b1"), std::string("N\u00d78\u00d74\u00d74"));
        document.push(new commands::SetParameter(document, "b1", "out_channels", int64_t(10)));
        QCOMPARE(instanceOutputShape(document, "b1"), std::string("N\u00d710\u00d74\u00d74"));
        QCOMPARE(instanceOutputShape(document, "b3"), std::string("N\u00d716\u00d74\u00d74"));
        document.push(new commands::SetParameter(document, "b2", "stride", engine::IntList { 2, 2 }));
        QCOMPARE(instanceOutputShape(document, "b2"), std::string("N\u00d76\u00d72\u00d72"));
        QCOMPARE(instanceFaceLines(document, "b2").at(1), QString("stride 2"));
        document.undoStack()->undo();
        document.undoStack()->undo();
        QCOMPARE(instanceOutputShape(document, "b1"), std::string("N\u00d78\u00d74\u00d74"));
        QVERIFY(!document.graph().block("b2").params.count("stride"));
    }

    void copiedInstancesKeepTheirValues()
    {
        GraphDocument source(compositeParameterProject());
        GraphScene sourceScene(source);
        sourceScene.selectBlocks({ "b1" });
        sourceScene.copySelection();

        // Into a project without the definition: it comes with its parameters, the copy with its values.
        GraphDocument target(tests::classicCnnProject(true));
        GraphScene targetScene(target);
        targetScene.paste();
        const QStringList pasted = targetScene.selectedBlockIds();
        QCOMPARE(pasted.size(), 1);
        const engine::Block& copy = target.graph().block(pasted.front().toStdString());
        QCOMPARE(copy.params, source.graph().block("b1").params);
        QVERIFY(*target.project().graph.findComposite("InvertedResidual")
            == *source.project().graph.findComposite("InvertedResidual"));
        const engine::Graph expanded = engine::expandComposites(target.project().graph).graph;
        const engine::Block& depthwise = expanded.block(copy.id + "__dw");
        QCOMPARE(depthwise.params.at("groups"), engine::ParamValue(int64_t(12)));
        QCOMPARE(depthwise.params.at("stride"), engine::ParamValue(engine::IntList { 2, 2 }));

        // Into the same project: a second instance with the same values.
        sourceScene.paste();
        const QStringList again = sourceScene.selectedBlockIds();
        QCOMPARE(again.size(), 1);
        QCOMPARE(source.graph().block(again.front().toStdString()).params, source.graph().block("b1").params);
        QCOMPARE(source.project().graph.composites().size(), size_t(1)); // the definition is reused
    }
};

NETDRAFT_TEST(CompositeParameterEditingTest);
#include "CompositeParameterEditingTest.moc"
