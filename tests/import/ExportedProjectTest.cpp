// A model that Netdraft exported opens as the project it came from: every example project, its weights
// changed from the seeded ones, exported (TorchScript and ONNX) through the export service and imported
// through the import service, comes back as the same project (byte for byte as a file) with the same
// tensors (bit for bit). Exports from before projects were embedded, --as-graph, a broken project
// inside, tensors that no longer fit and dataset paths are checked by message.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/export/ExportService.h"
#include "engine/import/ExportedProject.h"
#include "engine/export/TorchScriptExport.h"
#include "engine/import/ImportService.h"
#include "engine/io/AtomicFile.h"
#include "engine/io/ProjectFormat.h"
#include "engine/io/StateDict.h"
#include "engine/model/GraphModel.h"
#include "engine/network/CompiledNetwork.h"
#include "engine/train/WeightsImport.h"
#include "tests/support/ErrorOf.h"
#include "tests/support/TestRegistry.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

using namespace netdraft::engine;
namespace fs = std::filesystem;

namespace {

fs::path projectsFolder()
{
    return fs::path(NETDRAFT_SOURCE_DIR) / "projects";
}

/// The seeded model of `project` with every floating-point tensor moved away from its seeded value.
GraphModel changedModel(const Project& project)
{
    GraphModel model = buildModel(CompiledNetwork::compile(project), static_cast<uint64_t>(project.training.seed));
    torch::manual_seed(7);
    torch::NoGradGuard noGrad;
    for (auto& parameter : model->parameters())
        parameter.add_(torch::randn_like(parameter) * 0.1);
    for (auto& buffer : model->buffers())
        if (buffer.is_floating_point())
            buffer.add_(torch::rand_like(buffer) * 0.1);
    return model;
}

std::string projectText(Project project)
{
    project.initialWeights.clear();
    return serializeProject(project);
}

/// Exports `projectFile` with changed weights as `format` into `folder`; returns the model file.
std::string exportChanged(const std::string& projectFile, const std::string& format, const fs::path& folder,
    NamedTensors& exportedWeights)
{
    ExportRequest request;
    request.project = loadProjectFile(projectFile);
    request.projectDirectory = fs::path(projectFile).parent_path().string();
    GraphModel model = changedModel(request.project);
    exportedWeights = namedState(*model);
    request.weightsPath = (folder / "trained.pt").string();
    exportStateDict(*model, request.weightsPath);
    request.format = format;
    request.outputPath = (folder / (format == "onnx" ? "model.onnx" : "model.pt")).string();
    exportProject(request);
    return request.outputPath;
}

ImportReport importInto(const std::string& modelPath, const fs::path& folder, bool restore = true)
{
    ImportRequest request;
    request.modelPath = modelPath;
    request.projectPath = (folder / "opened" / "project.netdraft").string();
    request.restoreProject = restore;
    return importModel(request);
}

Project smallProject()
{
    return loadProjectFile((projectsFolder() / "mlp_spirals.netdraft").string());
}

} // namespace

class ExportedProjectTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void examplesOpenAgainFromTheirExports_data()
    {
        QTest::addColumn<QString>("project");
        QTest::addColumn<QString>("format");
        int count = 0;
        for (const auto& entry : fs::directory_iterator(projectsFolder())) {
            if (entry.path().extension() != ".netdraft" || entry.path().stem() == "classic_cnn_naive")
                continue; // the naive CNN is the example that does not build
            ++count;
            const std::string name = entry.path().stem().string();
            QTest::newRow((name + " torchscript").c_str()) << QString::fromStdString(entry.path().string()) << "torchscript";
#ifdef NETDRAFT_ONNX_EXPORT
            QTest::newRow((name + " onnx").c_str()) << QString::fromStdString(entry.path().string()) << "onnx";
#endif
        }
        QVERIFY(count >= 10);
    }

    void examplesOpenAgainFromTheirExports()
    {
        QFETCH(QString, project);
        QFETCH(QString, format);
        QTemporaryDir folder;
        NamedTensors exported;
        const std::string model = exportChanged(project.toStdString(), format.toStdString(), folder.path().toStdString(), exported);
        const ImportReport report = importInto(model, folder.path().toStdString());
        QVERIFY(report.restoredProject);
        QVERIFY2(report.notes.at(0).find("opened as that project, with the file's weights") != std::string::npos,
            report.notes.at(0).c_str());
        for (const std::string& note : report.notes) // every tensor came back: no note says otherwise
            QVERIFY2(note.find("keep the project's seeded") == std::string::npos, note.c_str());

        // The project as the file the user saved: same text but for the weights it names (and a dataset
        // path that is made absolute when it is found only from the old folder; no example has one).
        Project original = loadProjectFile(project.toStdString());
        Project opened = loadProjectFile(report.projectPath);
        QCOMPARE(opened.initialWeights, fs::path(report.weightsPath).filename().string());
        QCOMPARE(QString::fromStdString(projectText(opened)), QString::fromStdString(projectText(original)));

        // The weights: bit for bit those exported, not the seeded ones.
        const NamedTensors restored = readTensorDictFile(report.weightsPath);
        QCOMPARE(restored.size(), exported.size());
        for (size_t i = 0; i < exported.size(); ++i) {
            QCOMPARE(restored[i].first, exported[i].first);
            QVERIFY2(torch::equal(restored[i].second, exported[i].second), exported[i].first.c_str());
        }
        const NamedTensors seeded
            = namedState(*buildModel(CompiledNetwork::compile(original), static_cast<uint64_t>(original.training.seed)));
        QVERIFY(!torch::equal(seeded.front().second, restored.front().second)); // the check can fail
    }

    void asGraphImportsTheNetworkInstead()
    {
        QTemporaryDir folder;
        NamedTensors exported;
        const std::string model = exportChanged(
            (projectsFolder() / "mlp_spirals.netdraft").string(), "torchscript", folder.path().toStdString(), exported);
        const ImportReport report = importInto(model, folder.path().toStdString(), false);
        QVERIFY(!report.restoredProject);
        QVERIFY(report.project.name != smallProject().name);
        QCOMPARE(report.project.description, std::string("Imported from model"));
    }

    void exportsFromBeforeProjectsWereEmbeddedImportAsANetwork()
    {
        QTemporaryDir folder;
        const Project project = smallProject();
        GraphModel model = buildModel(CompiledNetwork::compile(project), 1);
        ExportMetadata metadata = metadataOf(CompiledNetwork::compile(project));
        metadata.netdraftVersion = "0.0.9";
        const std::string path = folder.filePath("old.pt").toStdString();
        exportTorchScript(project.graph, *model, metadata, path);
        const ImportReport report = importInto(path, folder.path().toStdString());
        QVERIFY(!report.restoredProject);
        QCOMPARE(report.notes.at(0),
            std::string("exported by Netdraft 0.0.9 before exports carried their project: imported as a network"));
    }

    void aBrokenProjectInsideIsNamed()
    {
        QTemporaryDir folder;
        const Project project = smallProject();
        GraphModel model = buildModel(CompiledNetwork::compile(project), 1);
        ExportMetadata metadata = metadataOf(CompiledNetwork::compile(project));
        metadata.project = R"({"format": "netdraft-project", "format_version": 1, "graph": {"blocks": 3}})";
        const std::string path = folder.filePath("broken.pt").toStdString();
        exportTorchScript(project.graph, *model, metadata, path);
        const std::string message = netdraft::tests::errorOf([&] { importInto(path, folder.path().toStdString()); });
        QVERIFY2(message.rfind(path + ": Netdraft exported this model with its project, but that project cannot be read: ", 0) == 0,
            message.c_str());
        QVERIFY2(message.find("(the project inside)") != std::string::npos, message.c_str());
        QVERIFY2(message.find("netdraft-cli import --as-graph") != std::string::npos, message.c_str());
        // Nothing was written, and the network alone still imports.
        QVERIFY(!fs::exists(folder.filePath("opened").toStdString()));
        QVERIFY(!importInto(path, folder.path().toStdString(), false).restoredProject);
    }

    void tensorsThatNoLongerFitAreRefused()
    {
        QTemporaryDir folder;
        Project project = smallProject();
        GraphModel model = buildModel(CompiledNetwork::compile(project), 1);
        ExportMetadata metadata = metadataOf(CompiledNetwork::compile(project));
        // The archive's blocks are those of the project, but the project inside says otherwise.
        Project other = project;
        const std::string id = "fc1";
        other.graph.block(id).params["out_features"] = int64_t(5);
        metadata.project = serializeProject(other);
        const std::string path = folder.filePath("changed.pt").toStdString();
        exportTorchScript(project.graph, *model, metadata, path);
        const std::string message = netdraft::tests::errorOf([&] { importInto(path, folder.path().toStdString()); });
        QVERIFY2(message.rfind(path + ": block " + id + "'s weight is ", 0) == 0, message.c_str());
        QVERIFY2(message.find("in the project inside it: the file was changed after Netdraft exported it")
                != std::string::npos,
            message.c_str());
    }

    void datasetPathsStillNameTheirFiles()
    {
        QTemporaryDir original;
        QTemporaryDir elsewhere;
        const fs::path oldFolder = original.path().toStdString();
        fs::create_directories(oldFolder / "data");
        writeFileAtomically((oldFolder / "data" / "points.csv").string(), "x,y,target\n0,0,0\n1,1,1\n");
        Project project = smallProject();
        project.dataset.kind = "csv";
        project.dataset.path = "data/points.csv";
        saveProjectFile(project, (oldFolder / "points.netdraft").string());
        NamedTensors exported;
        const std::string model = exportChanged((oldFolder / "points.netdraft").string(), "torchscript",
            elsewhere.path().toStdString(), exported);

        ImportReport moved = importInto(model, elsewhere.path().toStdString());
        const std::string absolute = (oldFolder / "data" / "points.csv").string();
        QCOMPARE(loadProjectFile(moved.projectPath).dataset.path, absolute);
        QVERIFY(std::find(moved.notes.begin(), moved.notes.end(),
                    "the dataset path data/points.csv is now " + absolute + ", where the exported project found it")
            != moved.notes.end());

        // Found beside the new project too: it stays relative.
        const fs::path opened = fs::path(elsewhere.path().toStdString()) / "opened";
        fs::create_directories(opened / "data");
        fs::copy_file(oldFolder / "data" / "points.csv", opened / "data" / "points.csv");
        QCOMPARE(loadProjectFile(importInto(model, elsewhere.path().toStdString()).projectPath).dataset.path,
            std::string("data/points.csv"));

        // Found nowhere: it stays, and a note says so.
        fs::remove_all(oldFolder / "data");
        fs::remove_all(opened / "data");
        const ImportReport lost = importInto(model, elsewhere.path().toStdString());
        QCOMPARE(lost.project.dataset.path, std::string("data/points.csv"));
        QVERIFY(std::find(lost.notes.begin(), lost.notes.end(),
                    "the dataset data/points.csv is not found (the exported project was in " + oldFolder.string()
                        + "): choose it again in Dataset before training")
            != lost.notes.end());

        // The folder goes along only for a relative dataset path: the spirals are generated, and
        // their export names no folder of the author's disk.
        const auto folderIn = [](const std::string& modelPath) {
            return torchScriptExportMetadata(readFileLimited(modelPath, 1 << 26), modelPath)->projectDirectory;
        };
        QCOMPARE(folderIn(model), fs::absolute(oldFolder).lexically_normal().string());
        QTemporaryDir generated;
        const fs::path generatedFolder = generated.path().toStdString();
        saveProjectFile(smallProject(), (generatedFolder / "spirals.netdraft").string());
        QVERIFY(smallProject().dataset.path.empty());
        const std::string spirals
            = exportChanged((generatedFolder / "spirals.netdraft").string(), "torchscript", generatedFolder, exported);
        QCOMPARE(folderIn(spirals), std::string());
    }
};

NETDRAFT_TEST(ExportedProjectTest);
#include "ExportedProjectTest.moc"
