// File ▸ Open / Import Model… for TorchScript files: the question before code is loaded, the import on a
// worker, the untitled project it opens (composites for the repeated module, shapes on every edge, the
// model's weights as starting weights, equal outputs), errors that name the file and the ops, the input
// shape asked when the file does not say it, freezing in the inspector with undo, save and reopen, and
// training that counts the frozen parameters.

#include "app/gui/MainWindow.h"
#include "app/gui/ModelImportRunner.h"
#include "app/gui/ProjectSession.h"
#include "editor/BlockItem.h"
#include "editor/ConnectionItem.h"
#include "editor/GraphDocument.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"
#include "engine/export/ExportService.h"
#include "engine/import/ImportFormat.h"
#include "engine/io/ProjectFormat.h"
#include "tests/app/AppTestSupport.h"
#include "tests/app/TorchScriptFixture.h"
#include "tests/support/TestRegistry.h"
#include "widgets/LogWidget.h"
#include "widgets/editing/InspectorWidget.h"

#ifdef NETDRAFT_ONNX_EXPORT
#include <onnx/onnx_pb.h>
#endif

#include <QAction>
#include <QCheckBox>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

using namespace netdraft;
using netdraft::tests::ScriptedPrompts;

namespace {

#ifdef NETDRAFT_ONNX_EXPORT
/// An ONNX model N×4 → Erf (no block does it) → N×4.
void writeErfModel(const QString& path)
{
    onnx::ModelProto model;
    model.set_ir_version(8);
    model.add_opset_import()->set_version(17);
    onnx::GraphProto& graph = *model.mutable_graph();
    graph.set_name("erf");
    auto value = [](onnx::ValueInfoProto* info, const char* name) {
        info->set_name(name);
        onnx::TypeProto_Tensor* tensor = info->mutable_type()->mutable_tensor_type();
        tensor->set_elem_type(onnx::TensorProto::FLOAT);
        tensor->mutable_shape()->add_dim()->set_dim_param("batch");
        tensor->mutable_shape()->add_dim()->set_dim_value(4);
    };
    value(graph.add_input(), "input");
    value(graph.add_output(), "output");
    onnx::NodeProto* node = graph.add_node();
    node->set_op_type("Erf");
    node->set_name("/erf/Erf");
    node->add_input("input");
    node->add_output("output");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray::fromStdString(model.SerializeAsString()));
}
#endif

editor::GraphScene& sceneOf(app::MainWindow& window)
{
    return *window.findChild<editor::GraphView*>(QStringLiteral("canvas"))->graphScene();
}

/// The ids of the composite instances of `project`'s graph.
QStringList compositeInstances(const engine::Project& project)
{
    QStringList ids;
    for (const engine::Block& block : project.graph.blocks())
        if (project.graph.findComposite(block.type))
            ids << QString::fromStdString(block.id);
    return ids;
}

} // namespace

class ImportModelTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;
    ScriptedPrompts* prompts_ = nullptr;
    tests::TorchScriptFixture fixture_;

    std::unique_ptr<app::MainWindow> makeWindow()
    {
        auto window = tests::shownWindow(&prompts_);
        window->newProject();
        return window;
    }

    /// File ▸ Open's path for a model file, answered with `answers`; returns modelImported()'s `ok`.
    bool openAndWait(app::MainWindow& window, const QString& path, std::vector<std::optional<QString>> answers)
    {
        prompts_->importAnswers = std::move(answers);
        QSignalSpy imported(&window, &app::MainWindow::modelImported);
        if (!window.openFile(path) || !window.importer().isRunning())
            return false;
        // A failed import that asks for the input shape starts the next one before its signal.
        if (!QTest::qWaitFor([&] { return !window.importer().isRunning() && !imported.isEmpty(); }, 60000))
            return false;
        return imported.last().first().toBool();
    }

    /// Waits until every block item and edge label shows the current inference.
    static bool waitForShapes(app::MainWindow& window)
    {
        return QTest::qWaitFor([&window] { return sceneOf(window).showsCurrentShapes(); }, 10000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        tests::isolateUserFolders(folder_);
        fixture_ = tests::writeResidualMlp(folder_.filePath(QStringLiteral("residual_mlp.pt")));
    }

    void openImportsAModelAsAnUntitledProject()
    {
        auto window = makeWindow();
        QVERIFY(openAndWait(*window, fixture_.path, { QString() }));
        // Asked once, before loading, and told that TorchScript is code.
        QCOMPARE(prompts_->importQuestions.size(), 1);
        QCOMPARE(prompts_->importQuestions.first(),
            QStringList({ fixture_.path, "PyTorch TorchScript", "code", "" }).join('|'));
        QVERIFY2(prompts_->errors.isEmpty(), qPrintable(prompts_->errors.join('\n')));

        app::ProjectSession& session = window->session();
        QVERIFY(session.filePath().isEmpty());
        QCOMPARE(session.displayName(), QStringLiteral("Untitled"));
        QVERIFY(session.isModified()); // nothing of it is saved yet
        QCOMPARE(session.document().undoStack()->count(), 0); // laid out for the canvas as part of the import
        QVERIFY(session.document().scope().isEmpty());
        const engine::Project project = session.project();
        QCOMPARE(project.name, std::string("residual_mlp"));
        // The two instances of the repeated module class are composite blocks of one definition.
        QCOMPARE(compositeInstances(project).size(), fixture_.residualBlocks);
        QCOMPARE(project.graph.composites().size(), size_t(1));

        // The starting weights are the module's own, bit for bit, and the model computes what it does.
        const QString weights = session.initialWeightsFile();
        QVERIFY2(QFileInfo(weights).isAbsolute() && QFile::exists(weights), qPrintable(weights));
        const QString mismatch = tests::compareParameters(fixture_.path, weights);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        const double difference = tests::largestOutputDifference(fixture_.path, project, weights);
        QVERIFY2(difference <= 1e-5, qPrintable(QString::number(difference)));

        // The canvas: a block item per block, a shape on every block and on every edge.
        QVERIFY(waitForShapes(*window));
        editor::GraphScene& scene = sceneOf(*window);
        for (const engine::Block& block : project.graph.blocks()) {
            editor::BlockItem* item = scene.blockItem(QString::fromStdString(block.id));
            QVERIFY2(item, block.id.c_str());
            QVERIFY2(!item->hasErrors(), qPrintable(item->errors().join('\n')));
            QVERIFY2(item->bodyLines().last() != QStringLiteral("?"), block.id.c_str());
        }
        for (const engine::Connection& connection : project.graph.connections()) {
            editor::ConnectionItem* item = scene.connectionItem(connection);
            QVERIFY(item);
            QVERIFY2(item->label().startsWith(QStringLiteral("N×")),
                qPrintable(QString::fromStdString(engine::describeConnection(connection)) + ": " + item->label()));
        }
        const QString log = window->log()->toPlainText();
        QVERIFY2(log.contains(QStringLiteral("Imported ") + fixture_.path), qPrintable(log));
        QVERIFY2(log.contains(QString::number(fixture_.parameterCount) + " parameters"), qPrintable(log));
    }

    /// `netdraft MODEL.pt`: main() makes the window and calls openOnStart() before any project exists.
    void startingWithAModelImportsIt()
    {
        const auto window = tests::shownWindow(&prompts_);
        prompts_->importAnswers = { QString() };
        QSignalSpy imported(window.get(), &app::MainWindow::modelImported);
        QVERIFY(window->openOnStart(fixture_.path));
        QVERIFY(window->importer().isRunning());
        QVERIFY(!window->isStartPageShown());
        QVERIFY(QTest::qWaitFor([&] { return !imported.isEmpty(); }, 60000));
        QVERIFY2(imported.last().first().toBool(), qPrintable(prompts_->errors.join('\n')));
        // The same question as File ▸ Open, with the TorchScript warning.
        QCOMPARE(prompts_->importQuestions,
            QStringList { QStringList({ fixture_.path, "PyTorch TorchScript", "code", "" }).join('|') });
        const engine::Project project = window->session().project();
        QCOMPARE(project.name, std::string("residual_mlp"));
        QCOMPARE(compositeInstances(project).size(), fixture_.residualBlocks);
        QVERIFY(!window->session().initialWeightsFile().isEmpty());
        QVERIFY(!window->isStartPageShown());
        QVERIFY(waitForShapes(*window));
    }

    /// `netdraft model.onnx`: no code warning, the shape from the file; one that fails or is cancelled
    /// leaves a blank project behind the start view, not an empty canvas.
    void startingWithAnOnnxModelOrAFailedOne()
    {
        if (!engine::importFormatForFile("model.onnx"))
            QSKIP("this build reads no ONNX (NETDRAFT_ONNX off)");
        engine::ExportRequest request;
        request.project = engine::loadProjectFile(NETDRAFT_SOURCE_DIR "/projects/classic_cnn.netdraft");
        request.format = "onnx";
        request.outputPath = folder_.filePath(QStringLiteral("classic.onnx")).toStdString();
        engine::exportProject(request);
        const QString onnxPath = QString::fromStdString(request.outputPath);
        for (const std::optional<QString>& answer : { std::optional<QString>(QString()), std::optional<QString>() }) {
            const auto window = tests::shownWindow(&prompts_);
            prompts_->importAnswers = { answer };
            QSignalSpy imported(window.get(), &app::MainWindow::modelImported);
            const bool started = window->openOnStart(onnxPath);
            QCOMPARE(started, answer.has_value());
            // Netdraft's own export: the question says it opens as the project inside.
            QCOMPARE(prompts_->importQuestions,
                QStringList { QStringList({ onnxPath, "ONNX", "", "" }).join('|') + "|project Classic CNN" });
            if (!answer) { // cancelled: the blank project behind the start view
                QVERIFY(window->isStartPageShown());
                QCOMPARE(window->session().project().graph.blocks().size(), size_t(2));
                continue;
            }
            QVERIFY(QTest::qWaitFor([&] { return !imported.isEmpty(); }, 60000));
            QVERIFY2(imported.last().first().toBool(), qPrintable(prompts_->errors.join('\n')));
            const engine::Project original = request.project;
            QCOMPARE(window->session().project().graph.blocks().size(), original.graph.blocks().size());
            QVERIFY(waitForShapes(*window));
        }
        // A file that is no model: the error names it, and the blank project stays behind the start view.
        const QString broken = folder_.filePath(QStringLiteral("broken.onnx"));
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a model\n");
        file.close();
        const auto window = tests::shownWindow(&prompts_);
        prompts_->importAnswers = { QString() };
        QSignalSpy imported(window.get(), &app::MainWindow::modelImported);
        QVERIFY(window->openOnStart(broken));
        QVERIFY(QTest::qWaitFor([&] { return !imported.isEmpty(); }, 60000));
        QVERIFY(!imported.last().first().toBool());
        QCOMPARE(prompts_->errors.size(), 1);
        QVERIFY2(prompts_->errors.first().contains(QStringLiteral("the protobuf does not parse")),
            qPrintable(prompts_->errors.first()));
        QVERIFY(window->isStartPageShown());
        QCOMPARE(window->session().project().graph.blocks().size(), size_t(2));
    }

    void aNetdraftExportOpensAsItsProject()
    {
        // MobileNetV2: composites and a canvas laid out by hand, which an import's auto-layout would change.
        engine::ExportRequest request;
        request.project = engine::loadProjectFile(NETDRAFT_SOURCE_DIR "/projects/mobilenetv2_shapes.netdraft");
        request.projectDirectory = NETDRAFT_SOURCE_DIR "/projects";
        request.format = "torchscript";
        request.outputPath = folder_.filePath(QStringLiteral("mobilenet-export.pt")).toStdString();
        engine::exportProject(request);
        auto window = makeWindow();
        prompts_->importQuestions.clear();
        QVERIFY2(openAndWait(*window, QString::fromStdString(request.outputPath), { QString() }),
            qPrintable(prompts_->errors.join('\n')));
        // The question names the project and asks no input shape; TorchScript is still code.
        QCOMPARE(prompts_->importQuestions,
            QStringList { QString::fromStdString(request.outputPath) + "|PyTorch TorchScript|code||project "
                + QString::fromStdString(request.project.name) });
        const engine::Project& opened = window->session().project();
        QCOMPARE(opened.name, request.project.name);
        QVERIFY(opened.graph == request.project.graph); // every block where the user left it
        QCOMPARE(engine::serializeSettings(opened), engine::serializeSettings(request.project));
        QVERIFY(QFileInfo::exists(QString::fromStdString(opened.initialWeights)));
        QVERIFY(window->session().filePath().isEmpty()); // untitled until saved
        QVERIFY2(window->log()->text().contains(QStringLiteral("as the project it was exported from")),
            qPrintable(window->log()->text()));
        QVERIFY(waitForShapes(*window));
    }

    void aBrokenProjectInsideOffersTheNetworkAlone()
    {
        const engine::Project project = engine::loadProjectFile(NETDRAFT_SOURCE_DIR "/projects/mlp_spirals.netdraft");
        const QString path = folder_.filePath(QStringLiteral("broken-inside.pt"));
        tests::writeNetdraftExport(path, project, R"({"format": "netdraft-project", "graph": 3})");
        for (const bool alone : { false, true }) {
            auto window = makeWindow();
            prompts_->importNetworkAlone = alone;
            prompts_->networkAloneQuestions.clear();
            prompts_->errors.clear();
            QCOMPARE(openAndWait(*window, path, { QString() }), alone);
            QCOMPARE(prompts_->networkAloneQuestions.size(), 1);
            QVERIFY2(prompts_->networkAloneQuestions.first().startsWith(QStringLiteral("broken-inside.pt|")),
                qPrintable(prompts_->networkAloneQuestions.first()));
            QVERIFY(prompts_->networkAloneQuestions.first().contains(QStringLiteral("that project cannot be read")));
            if (alone) { // the network, made from the operators, under the file's name
                QCOMPARE(window->session().project().name, std::string("broken-inside"));
                QCOMPARE(window->session().project().graph.blocks().size(), project.graph.blocks().size());
            } else {
                QCOMPARE(window->session().project().graph.blocks().size(), size_t(2)); // still the blank one
            }
        }
    }

    void cancellingTheQuestionLoadsNothing()
    {
        auto window = makeWindow();
        const engine::Project before = window->session().project();
        prompts_->importAnswers = { std::nullopt };
        QVERIFY(window->openFile(fixture_.path));
        QCOMPARE(prompts_->importQuestions.size(), 1);
        QVERIFY(!window->importer().isRunning());
        QVERIFY(window->session().project() == before);
    }

    void unmappedOpsAreNamedInTheError()
    {
        const QString path = folder_.filePath(QStringLiteral("sine.pt"));
        tests::writeUnsupportedOpModel(path);
        auto window = makeWindow();
        const engine::Project before = window->session().project();
        QVERIFY(!openAndWait(*window, path, { QString() }));
        QCOMPARE(prompts_->errors.size(), 1);
        const QString error = prompts_->errors.first();
        QVERIFY2(error.startsWith(QStringLiteral("Cannot import sine.pt: Nothing was imported.")), qPrintable(error));
        QVERIFY2(error.contains(path), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("aten::sin")), qPrintable(error));
        QVERIFY(window->session().project() == before);
    }

    /// An ONNX model whose one Erf has no block: asked whether to keep it; No imports nothing, Yes imports an
    /// Opaque block with the op's type, node name and shape.
    void unsupportedOperatorsAreKeptWhenTheUserSaysSo()
    {
#ifdef NETDRAFT_ONNX_EXPORT
        const QString path = folder_.filePath(QStringLiteral("erf.onnx"));
        writeErfModel(path);
        auto window = makeWindow();
        const engine::Project before = window->session().project();
        prompts_->keepUnsupported = false;
        QVERIFY(!openAndWait(*window, path, { QString() }));
        QCOMPARE(prompts_->keepQuestions.size(), 1);
        QVERIFY2(prompts_->keepQuestions.first().startsWith(QStringLiteral("erf.onnx|")),
            qPrintable(prompts_->keepQuestions.first()));
        QVERIFY2(prompts_->keepQuestions.first().contains(
                     QStringLiteral("Erf ×1 (no Netdraft block does this) at /erf/Erf")),
            qPrintable(prompts_->keepQuestions.first()));
        QCOMPARE(prompts_->errors.size(), 1);
        QVERIFY(window->session().project() == before);

        prompts_->keepUnsupported = true;
        prompts_->errors.clear();
        QVERIFY(openAndWait(*window, path, { QString() }));
        QCOMPARE(prompts_->keepQuestions.size(), 2);
        QVERIFY2(prompts_->errors.isEmpty(), qPrintable(prompts_->errors.join('\n')));
        const engine::Project imported = window->session().project();
        const engine::Block* erf = imported.graph.findBlock("erf");
        QVERIFY(erf);
        QCOMPARE(erf->type, std::string("Opaque"));
        QCOMPARE(std::get<std::string>(erf->params.at("op_type")), std::string("Erf"));
        QCOMPARE(std::get<std::string>(erf->params.at("node_name")), std::string("/erf/Erf"));
        QCOMPARE(std::get<engine::IntList>(erf->params.at("output_shape")), (engine::IntList { 4 }));
#else
        QSKIP("Netdraft is built without ONNX");
#endif
    }

    void asksForTheInputShapeWhenTheFileDoesNotSayIt()
    {
        const QString path = folder_.filePath(QStringLiteral("conv.pt"));
        tests::writeConvModel(path);
        auto window = makeWindow();
        // No shape first: the engine's error becomes the reason of a second question, answered with one.
        QVERIFY(openAndWait(*window, path, { QString(), QStringLiteral("2,16,16") }));
        QCOMPARE(prompts_->importQuestions.size(), 2);
        const QString second = prompts_->importQuestions.last();
        QVERIFY2(second.contains(QStringLiteral("takes 2 channels")), qPrintable(second));
        QVERIFY2(prompts_->errors.isEmpty(), qPrintable(prompts_->errors.join('\n')));
        const engine::Project imported = window->session().project();
        const engine::Block* input = imported.graph.findBlock("input");
        QVERIFY(input);
        QVERIFY(input->params.at("shape") == engine::ParamValue(engine::IntList { 2, 16, 16 }));
        // A shape that does not read is asked again before anything is loaded.
        QVERIFY(openAndWait(*window, path, { QStringLiteral("two by sixteen"), QStringLiteral("2x8x8") }));
        QVERIFY2(prompts_->importQuestions.at(3).contains(QStringLiteral("is not a shape")),
            qPrintable(prompts_->importQuestions.at(3)));
    }

    void freezingIsUndoableAndSaved()
    {
        auto window = makeWindow();
        QVERIFY(openAndWait(*window, fixture_.path, { QString() }));
        QVERIFY(waitForShapes(*window));
        editor::GraphScene& scene = sceneOf(*window);
        editor::GraphDocument& document = window->session().document();
        const QStringList instances = compositeInstances(document.project());
        QCOMPARE(instances.size(), 2);
        const QString stem = QStringLiteral("stem");
        QVERIFY2(document.graph().findBlock("stem"), "the stem Linear is block 'stem'");

        // The inspector's checkbox freezes the one block shown.
        scene.selectBlocks({ stem });
        auto* frozen = window->findChild<QCheckBox*>(QStringLiteral("blockFrozen"));
        QVERIFY(frozen && !frozen->isChecked());
        const int steps = document.undoStack()->count();
        frozen->click();
        QVERIFY(document.graph().block("stem").frozen);
        QVERIFY(scene.blockItem(stem)->isFrozen());
        QCOMPARE(document.undoStack()->count(), steps + 1);
        document.undoStack()->undo();
        QVERIFY(!document.graph().block("stem").frozen);
        QVERIFY(!scene.blockItem(stem)->isFrozen());
        QVERIFY(!frozen->isChecked());
        document.undoStack()->redo();
        QVERIFY(document.graph().block("stem").frozen);
        QVERIFY(frozen->isChecked());

        // Edit ▸ Freeze / Unfreeze Selected on a composite instance freezes it as one step.
        scene.selectBlocks({ instances.first() });
        QAction* toggle = window->findChild<editor::GraphView*>(QStringLiteral("canvas"))->action("toggleFrozen");
        QVERIFY(toggle);
        QVERIFY(!toggle->shortcut().isEmpty());
        toggle->trigger();
        QVERIFY(document.graph().block(instances.first().toStdString()).frozen);
        QVERIFY(scene.blockItem(instances.first())->isFrozen());

        // Saved: the project names its weights beside it, a copy equal to the model's.
        prompts_->savePath = folder_.filePath(QStringLiteral("saved/tuned.netdraft"));
        QDir().mkpath(folder_.filePath(QStringLiteral("saved")));
        QVERIFY(window->saveAs());
        QVERIFY2(prompts_->errors.isEmpty(), qPrintable(prompts_->errors.join('\n')));
        const engine::Project saved = engine::loadProjectFile(prompts_->savePath.toStdString());
        QCOMPARE(saved.initialWeights, std::string("tuned.weights.pt"));
        const QString copied = folder_.filePath(QStringLiteral("saved/tuned.weights.pt"));
        QCOMPARE(window->session().initialWeightsFile(), copied);
        const QString mismatch = tests::compareParameters(fixture_.path, copied);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        QCOMPARE(saved.name, std::string("residual_mlp"));

        // Reopened: the frozen flags and the weights are back.
        const QString savedPath = prompts_->savePath;
        auto reopened = makeWindow();
        QVERIFY2(reopened->openFile(savedPath), qPrintable(prompts_->loadErrors.join('\n')));
        const engine::Project reopenedProject = reopened->session().project();
        const engine::Graph& graph = reopenedProject.graph;
        QVERIFY(graph.block("stem").frozen);
        QVERIFY(graph.block(instances.first().toStdString()).frozen);
        QVERIFY(!graph.block(instances.last().toStdString()).frozen);
        QCOMPARE(reopened->session().initialWeightsFile(), copied);
        QVERIFY(QTest::qWaitFor([&] { return sceneOf(*reopened).showsCurrentShapes(); }, 10000));
        QVERIFY(sceneOf(*reopened).blockItem(stem)->isFrozen());
    }

    void trainingCountsTheFrozenParameters()
    {
        engine::Project project = engine::loadProjectFile(NETDRAFT_SOURCE_DIR "/projects/mlp_spirals.netdraft");
        project.dataset.samples = 200;
        project.training.epochs = 1;
        project.training.threads = 2;
        auto window = makeWindow();
        QVERIFY(window->openProject(tests::saveProject(project, folder_, QStringLiteral("spirals.netdraft"))));
        editor::GraphScene& scene = sceneOf(*window);
        // Freeze up to fc2 freezes fc2, relu1, fc1 and the input: Linear 2→64 and 64→64.
        QCOMPARE(scene.freezeUpTo(QStringLiteral("fc2")), 4);
        QVERIFY(window->session().project().graph.block("fc1").frozen);
        QVERIFY(!window->session().project().graph.block("fc3").frozen);
        QSignalSpy trained(window.get(), &app::MainWindow::trainingFinished);
        QVERIFY(window->startTraining());
        QVERIFY(trained.wait(120000));
        const int frozenValues = (2 * 64 + 64) + (64 * 64 + 64);
        const int trainableValues = 64 * 2 + 2;
        const QString log = window->log()->toPlainText();
        QVERIFY2(log.contains(QStringLiteral("Parameters: %1 trainable, %2 frozen (2 frozen blocks)")
                                  .arg(trainableValues)
                                  .arg(frozenValues)),
            qPrintable(log));
    }
};

NETDRAFT_TEST(ImportModelTest);
#include "ImportModelTest.moc"
