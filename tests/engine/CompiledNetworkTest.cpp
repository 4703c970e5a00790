// The compiled network: one checked, ordered view of a graph that training and every export walk,
// made with one shape inference; and the export formats drawn from their registry.

#include "engine/core/Error.h"
#include "engine/export/ExportFormat.h"
#include "engine/export/ExportMetadata.h"
#include "engine/export/ExportService.h"
#include "engine/inference/ShapeInference.h"
#include "engine/io/ProjectFormat.h"
#include "engine/network/CompiledNetwork.h"
#include "engine/train/TrainingSession.h"
#include "tests/engine/TestGraphs.h"
#include "tests/engine/TrainingFixtures.h"
#include "tests/support/TestRegistry.h"
#include "tests/support/ErrorOf.h"

#include <QTest>

#include <filesystem>

using namespace netdraft::engine;
using netdraft::tests::errorOf;

namespace {

std::string projectPath(const char* name)
{
    return std::string(NETDRAFT_SOURCE_DIR) + "/projects/" + name;
}

} // namespace

class CompiledNetworkTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ordersTheStepsAndWiresTheirInputs()
    {
        const CompiledNetwork network = CompiledNetwork::compile(netdraft::tests::classicCnn(true));
        const auto& steps = network.steps();
        QCOMPARE(steps.size(), network.inference().order.size());
        for (size_t i = 0; i < steps.size(); ++i) {
            QCOMPARE(steps[i].id(), network.inference().order[i]);
            for (size_t input : steps[i].inputSteps)
                QVERIFY2(input < i, "a step reads only steps before it");
        }
        QCOMPARE(network.inputStep().block->type, std::string("Input"));
        QCOMPARE(network.outputStep().block->type, std::string("Output"));
        QCOMPARE(network.layers().size(), steps.size() - 2);
        QCOMPARE(network.step("fc").type->description().type, std::string("Linear"));
        QCOMPARE(network.signature().inputShape, (std::vector<int64_t>{3, 32, 32}));
        QCOMPARE(network.signature().outputSize, int64_t{10});
        QVERIFY(network.signature().classification);
        QCOMPARE(network.signature().inputDtype, std::string("float32"));
    }

    void collectsEveryProblemInOneError()
    {
        // The tutorials' CNN without pooling: 131072 features reach Linear(128, 10).
        const std::string message
            = errorOf([] { CompiledNetwork::compile(netdraft::tests::classicCnn(false)); });
        QVERIFY2(message.find("the graph has errors:") == 0, message.c_str());
        QVERIFY2(message.find("131072") != std::string::npos, message.c_str());
    }

    void classificationHasOneAnswer()
    {
        // The loss decides: it is what training optimises, and the export metadata says the same.
        Project project = loadProjectFile(projectPath("mlp_spirals.netdraft"));
        QVERIFY(CompiledNetwork::compile(project).signature().classification);
        project.training.loss = "mse";
        const CompiledNetwork regression = CompiledNetwork::compile(project);
        QVERIFY(!regression.signature().classification);
        QCOMPARE(metadataOf(regression).task, std::string("regression"));
        // Without a project, the Output block's task answers.
        QCOMPARE(metadataOf(CompiledNetwork::compile(project.graph)).task, std::string("classification"));
    }

    void copiesShareOneState()
    {
        const CompiledNetwork network = CompiledNetwork::compile(netdraft::tests::classicCnn(true));
        const CompiledNetwork copy = network; // NOLINT(performance-unnecessary-copy-initialization)
        QCOMPARE(&copy.steps().front(), &network.steps().front());
        QCOMPARE(copy.steps().front().block, &network.graph().block(network.steps().front().id()));
    }

    void everyExportInfersOnce()
    {
        const std::string folder = netdraft::tests::freshFolder("compiled-network-export");
        const Project project = loadProjectFile(projectPath("mlp_spirals.netdraft"));
        for (const std::string& format : exportFormatNames()) {
            ExportRequest request;
            request.project = project;
            request.projectDirectory = folder;
            request.format = format;
            request.outputPath = folder + "/" + format + exportFormat(format).suggestedSuffix;
            const uint64_t before = shapeInferenceRuns();
            const ExportReport report = exportProject(request);
            QCOMPARE(shapeInferenceRuns() - before, uint64_t{1});
            QVERIFY(!report.files.empty());
            QVERIFY(std::filesystem::exists(report.files.front()));
        }
    }

    void aTrainingRunInfersOnce()
    {
        Project project = loadProjectFile(projectPath("mlp_spirals.netdraft"));
        project.training.epochs = 1;
        project.training.threads = 1;
        TrainingSession session(project, netdraft::tests::freshFolder("compiled-network-train"), "");
        std::string outcome;
        SessionCallbacks callbacks;
        callbacks.onFinished = [&](const SessionOutcome& result) { outcome = result.stopReason; };
        callbacks.onError = [&](const std::string& message) { outcome = "error: " + message; };
        session.setCallbacks(callbacks);
        const uint64_t before = shapeInferenceRuns();
        session.start();
        QCOMPARE(outcome, std::string("completed"));
        QCOMPARE(shapeInferenceRuns() - before, uint64_t{1});
    }

    void exportFormatsComeFromTheirRegistry()
    {
#ifdef NETDRAFT_ONNX_EXPORT // built with libonnx-dev
        const std::vector<std::string> names{"torchscript", "onnx", "state_dict", "python"};
        const std::string accepted = "torchscript, onnx, state_dict or python";
#else
        const std::vector<std::string> names{"torchscript", "state_dict", "python"};
        const std::string accepted = "torchscript, state_dict or python";
#endif
        QCOMPARE(exportFormatNames(), names);
        for (const ExportFormatInfo& format : exportFormats()) {
            QVERIFY(!format.title.empty() && !format.description.empty());
            QCOMPARE(exportFormat(format.name).title, format.title);
        }
        QVERIFY(exportFormat("python").writesFolder());
        QVERIFY(!exportFormat("torchscript").writesFolder());
        QCOMPARE(errorOf([] { exportFormat("onnx2"); }),
            "export format: expected " + accepted + ", got 'onnx2'");
        ExportRequest request;
        request.project = loadProjectFile(projectPath("mlp_spirals.netdraft"));
        request.format = "keras";
        request.outputPath = netdraft::tests::freshFolder("compiled-network-format") + "/model.h5";
        QCOMPARE(errorOf([&] { exportProject(request); }),
            "export format: expected " + accepted + ", got 'keras'");
        QVERIFY(!std::filesystem::exists(request.outputPath));
    }
};

NETDRAFT_TEST(CompiledNetworkTest);
#include "CompiledNetworkTest.moc"
