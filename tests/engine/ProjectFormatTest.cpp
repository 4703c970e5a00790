// The .netdraft format: byte-identical round trips, migration from version 0, newer versions
// refused, every problem reported with its place, atomic saves that keep the old file on failure.

#include "engine/io/ProjectFormat.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/inference/ShapeInference.h"
#include "tests/support/KeptValues.h"
#include "tests/support/TestRegistry.h"

#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/resource.h>
#include <unistd.h>

using namespace netdraft::engine;
namespace fs = std::filesystem;

namespace {

std::string readText(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void writeText(const fs::path& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

fs::path sourcePath(const char* relative)
{
    return fs::path(NETDRAFT_SOURCE_DIR) / relative;
}

/// Uses every parameter kind: Auto, pinned integers, tuples, tuple words, choices, flags, integer
/// lists (blocks); real numbers, real lists, text and integer lists (settings).
Project everyKindProject()
{
    GraphBuilder builder;
    builder.input({ 3, 16, 16 })
        .then("Conv2d",
            { { "out_channels", int64_t(8) }, { "kernel_size", IntList { 3, 5 } }, { "padding", std::string("same") },
                { "bias", false }, { "padding_mode", std::string("reflect") } },
            "conv_auto")
        .then("Conv2d", { { "in_channels", int64_t(8) }, { "padding", IntList { 1, 2 } } }, "conv_pinned")
        .then("ReLU")
        .then("MaxPool2d", { { "ceil_mode", true }, { "stride", IntList { 1, 1 } } })
        .then("Flatten")
        .then("Linear", { { "out_features", int64_t(4) } }, "fc")
        .output("classification");
    Project project;
    project.graph = builder.graph();
    project.graph.block("fc").name = "Classifier \u00d7 \"head\"";
    project.graph.block("fc").position = { 12.25, -3.5 };
    project.name = "Every kind: \u00fcn\u00efc\u00f8d\u00e9, \"quotes\", back\\slash";
    project.description = "Line one\nline two\twith a tab";
    project.dataset.kind = "cifar10";
    project.dataset.path = "data/cifar-10";
    project.dataset.normalization = "given";
    project.dataset.mean = { 0.4914, 0.4822, 0.4465 };
    project.dataset.std = { 0.247, 0.2435, 0.2616 };
    project.dataset.horizontalFlip = true;
    project.dataset.validationFraction = 0.2;
    project.training.optimizer = "adam";
    project.training.learningRate = 3e-4;
    project.training.schedule = "multistep";
    project.training.milestones = { 5, 10, 15 };
    project.training.device = "cuda:0";
    project.training.gradientClipNorm = 1.5;
    project.view.zoom = 0.75;
    project.view.center = { 120.5, -40 };
    return project;
}

std::vector<std::string> problemLines(const ProjectLoadError& error)
{
    std::vector<std::string> lines;
    for (const Problem& problem : error.problems())
        lines.push_back(problem.toString());
    return lines;
}

std::vector<fs::path> leftovers(const fs::path& folder, const std::string& keep)
{
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(folder))
        if (entry.path().filename() != keep)
            found.push_back(entry.path());
    return found;
}

} // namespace

class ProjectFormatTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void exampleFilesRoundTripByteForByte_data()
    {
        QTest::addColumn<QString>("path");
        int count = 0;
        for (const auto& entry : fs::directory_iterator(sourcePath("projects")))
            if (entry.path().extension() == ".netdraft") {
                QTest::newRow(entry.path().filename().c_str()) << QString::fromStdString(entry.path().string());
                ++count;
            }
        QVERIFY(count >= 2);
    }

    void exampleFilesRoundTripByteForByte()
    {
        QFETCH(QString, path);
        std::string text = readText(path.toStdString());
        const Project project = loadProjectFile(path.toStdString());
        // Examples in older format versions (1: no composite blocks, 2: no frozen blocks or starting
        // weights) save unchanged but for the version.
        for (int version = 1; version < kProjectFormatVersion; ++version) {
            const std::string older = "\"version\": " + std::to_string(version) + ",";
            if (const size_t at = text.find(older); at != std::string::npos && at < 64)
                text.replace(at, older.size(), "\"version\": " + std::to_string(kProjectFormatVersion) + ",");
        }
        QCOMPARE(serializeProject(project), text);
    }

    void everyParamKindRoundTrips()
    {
        const Project project = everyKindProject();
        const std::string text = serializeProject(project);
        const Project loaded = parseProject(text, "every-kind.netdraft");
        QVERIFY(loaded == project);
        QCOMPARE(serializeProject(loaded), text);
        QVERIFY2(text.find("\"in_channels\": \"auto\"") != std::string::npos, text.c_str());
        QVERIFY2(text.find("\"padding\": \"same\"") != std::string::npos, text.c_str());
        QVERIFY2(text.find("\"kernel_size\": [3, 5]") != std::string::npos, text.c_str());
        QVERIFY2(text.find("\"learning_rate\": 0.0003") != std::string::npos, text.c_str());
        QVERIFY2(text.find("\"position\": [12.25, -3.5]") != std::string::npos, text.c_str());
        QVERIFY(isAuto(loaded.graph.block("conv_auto").params.at("in_channels")));
        QCOMPARE(std::get<int64_t>(loaded.graph.block("conv_pinned").params.at("in_channels")), int64_t(8));
        QCOMPARE(loaded.dataset.mean, (RealList { 0.4914, 0.4822, 0.4465 }));
        QCOMPARE(text.back(), '\n');
    }

    void paramsAreWrittenSortedByName()
    {
        const std::string text = serializeProject(everyKindProject());
        const size_t bias = text.find("\"bias\"");
        const size_t dilation = text.find("\"dilation\"");
        const size_t stride = text.find("\"stride\"");
        QVERIFY(bias < dilation && dilation < stride);
    }

    void settingsAreWrittenAsTheProjectFileWritesThem()
    {
        // Run records keep the settings through serializeSettings(): the same text as the file's objects.
        Project project;
        project.training.learningRate = 0.0125;
        project.training.optimizer = "adamw";
        project.dataset.kind = "spirals";
        const std::string settings = serializeSettings(project);
        const std::string file = serializeProject(project);
        for (const char* key : { "\"dataset\": {", "\"training\": {" }) {
            const size_t inSettings = settings.find(key), inFile = file.find(key);
            QVERIFY(inSettings != std::string::npos && inFile != std::string::npos);
            const std::string fromSettings = settings.substr(inSettings, settings.find('}', inSettings) - inSettings);
            const std::string fromFile = file.substr(inFile, file.find('}', inFile) - inFile);
            QCOMPARE(fromSettings, fromFile);
        }
        QVERIFY(settings.find("\"learning_rate\": 0.0125") != std::string::npos);
        QVERIFY(settings.find("\"optimizer\": \"adamw\"") != std::string::npos);
    }

    void examplesLoadAsDesigned()
    {
        const Project corrected = loadProjectFile(sourcePath("projects/classic_cnn.netdraft").string());
        const InferenceResult good = inferShapes(corrected.graph);
        QVERIFY2(!good.hasErrors(), joinProblems(good.problems()).c_str());
        QCOMPARE(good.find("flatten")->output->toString(), std::string("N\u00d72048"));
        QCOMPARE(corrected.training.learningRate, 0.01); // the classic 0.001 is too slow for Shapes (see its description)
        QCOMPARE(corrected.training.batchSize, int64_t(64));

        const Project naive = loadProjectFile(sourcePath("projects/classic_cnn_naive.netdraft").string());
        const InferenceResult bad = inferShapes(naive.graph); // loads fine: a design error, not a load error
        QVERIFY(bad.hasErrors());
        QVERIFY(!bad.find("fc")->errors.empty());
    }

    void migratesVersionZero()
    {
        const Project migrated = loadProjectFile(sourcePath("tests/data/v0_classic_cnn.netdraft").string());
        const Project current = loadProjectFile(sourcePath("projects/classic_cnn.netdraft").string());
        QCOMPARE(migrated.graph.blocks().size(), current.graph.blocks().size());
        QVERIFY(migrated.graph == current.graph); // nodes/edges/x/y/label became blocks/connections/position/name
        QCOMPARE(migrated.training.learningRate, 0.01); // "lr"
        QCOMPARE(migrated.training.epochs, int64_t(5));
        QCOMPARE(migrated.view.zoom, 1.0); // v0 had no view
        const std::string text = serializeProject(migrated);
        QVERIFY(text.find("\"version\": " + std::to_string(kProjectFormatVersion) + ",") != std::string::npos);
        QVERIFY(parseProject(text, "migrated") == migrated);
    }

    void refusesNewerVersions()
    {
        const std::string text = R"({"format": "netdraft", "version": 6, "graph": {"blocks": [], "connections": []}})";
        try {
            parseProject(text, "future.netdraft");
            QFAIL("a newer version was accepted");
        } catch (const ProjectLoadError& error) {
            QCOMPARE(std::string(error.what()),
                std::string("future.netdraft: was written by a newer Netdraft (format version 6); this "
                            "version reads up to 5"));
        }
    }

    void goldenVersionThreeFileLoads()
    {
        // Version 3: frozen blocks and the project's starting weights, written only when set.
        const fs::path path = sourcePath("tests/data/v3_frozen_blocks.netdraft");
        const Project project = loadProjectFile(path.string());
        QCOMPARE(project.initialWeights, std::string("v3_frozen_blocks.weights.pt"));
        QVERIFY(project.graph.block("stem").frozen);
        QVERIFY(project.graph.block("stage1").frozen);
        QVERIFY(!project.graph.block("stage2").frozen);
        QVERIFY(!project.graph.block("head").frozen);
        // Saving keeps every value the version 3 file held (settings added since get their defaults).
        const std::string written = serializeProject(project);
        QCOMPARE(netdraft::tests::valuesNotKept(readText(path.string()), written), std::string());
        QCOMPARE(netdraft::tests::valuesNotKept(R"({"a": {"b": 1, "c": 2}})", R"({"a": {"b": 3, "c": 2}})"),
            std::string("$.a.b: 1 became 3"));
        QVERIFY(project.experiment.empty());
        QVERIFY(written.find("\"experiment\"") == std::string::npos); // written only when there is one
        // A version 2 file has no frozen blocks and no starting weights.
        const Project older = loadProjectFile(sourcePath("tests/data/v2_composite_blocks.netdraft").string());
        QVERIFY(older.initialWeights.empty());
        for (const Block& block : older.graph.blocks())
            QVERIFY(!block.frozen);
    }

    void goldenVersionFourFileLoads()
    {
        // Version 4: the experiment saved with the project (`netdraft-cli sweep --save`), as written.
        const fs::path path = sourcePath("tests/data/v4_saved_experiment.netdraft");
        const Project project = loadProjectFile(path.string());
        const ExperimentPlan& plan = project.experiment;
        QCOMPARE(plan.grid, (std::vector<std::string> { "training.learning_rate=0.1,0.01", "fc1.out_features=4,8" }));
        QVERIFY(plan.trials.empty());
        QCOMPARE(plan.randomTrials, int64_t(3));
        QCOMPARE(plan.seed, int64_t(7));
        QCOMPARE(plan.parallel, int64_t(2));
        QCOMPARE(plan.pruneAfter, int64_t(2));
        QCOMPARE(plan.pruneMinTrials, int64_t(2));
        // Saving keeps every value the version 4 file held (and writes the current version).
        QCOMPARE(netdraft::tests::valuesNotKept(readText(path.string()), serializeProject(project)), std::string());
    }

    void experimentProblemsNameTheirPlace()
    {
        const std::string start = R"({"format": "netdraft", "version": 4, "graph": {"blocks": [], "connections": []},
 "experiment": )";
        const std::vector<std::pair<std::string, std::string>> cases {
            { R"({"grid": ["training.epochs=1,2", 3]})", "$.experiment.grid[1]: must be text, got 3" },
            { R"({"grid": ["training.epochs=1,2"], "parallel": 0})",
                "$.experiment.parallel: must be a whole number from 1 to 256, got 0" },
            { R"({"grid": ["training.epochs=1,2"], "trials": ["training.epochs=3"]})",
                "$.experiment: has both \"grid\" and \"trials\"; an experiment is one or the other" },
            { R"({"grid": [], "method": "bayes"})", "$.experiment: unknown key \"method\"" },
            { R"("grid")", "$.experiment: must be an object, got \"grid\"" },
        };
        for (const auto& [experiment, message] : cases) {
            try {
                parseProject(start + experiment + "}", "experiment.netdraft");
                QFAIL(("accepted " + experiment).c_str());
            } catch (const ProjectLoadError& error) {
                QVERIFY2(std::string(error.what()).find(message) != std::string::npos, error.what());
            }
        }
    }

    void frozenMustBeTrueOrFalse()
    {
        const std::string text = R"({"format": "netdraft", "version": 3, "graph": {"blocks": [
 {"id": "input", "type": "Input", "frozen": "yes"}], "connections": []}})";
        try {
            parseProject(text, "frozen.netdraft");
            QFAIL("a text frozen flag was accepted");
        } catch (const ProjectLoadError& error) {
            QCOMPARE(std::string(error.what()),
                std::string("frozen.netdraft: $.graph.blocks[0].frozen: must be true or false, got \"yes\""));
        }
    }

    void reportsEveryProblemWithItsPlace()
    {
        const std::string text = R"({"format": "netdraft", "version": 1, "name": "broken",
 "graph": {"blocks": [
   {"id": "input", "type": "Input", "params": {"shape": [3, 32, 32]}},
   {"id": "conv3", "type": "Conv2d", "params": {"kernel_size": 0, "stride": "big"}},
   {"type": "ReLU"},
   {"id": "conv3", "type": "ReLU"},
   {"id": "9lives", "type": "ReLU"},
   {"id": "x", "type": "Conv4d"},
   {"id": "fc", "type": "Linear", "params": {"out_features": 10, "dropout": 0.5}, "position": [1]},
   {"id": "out"}],
  "connections": [
   {"from": "input.out", "to": "conv3.in"},
   {"from": "conv3.out", "to": "nowhere.in"},
   {"from": "fc.result", "to": "out.in"},
   {"from": "input.out", "to": "conv3.in"},
   {"from": "input", "to": "fc.in"}]},
 "dataset": {"horizontal_flip": "yes"},
 "training": {"epochs": "ten", "learning_rate": -1, "optimiser": "sgd"},
 "view": {"zoom": 0}})";
        const std::vector<std::string> expected {
            "block conv3: kernel_size must be >= 1, got 0",
            "block conv3: stride must be an integer or a list of 2 integers, got \"big\"",
            "$.graph.blocks[2]: missing \"id\"",
            "$.graph.blocks[3].id: \"conv3\" is already the id of $.graph.blocks[1]",
            "$.graph.blocks[4].id: \"9lives\" is not a valid id: use a letter or _, then letters, digits or _ (at "
            "most 64)",
            "block x: unknown layer type 'Conv4d'",
            "$.graph.blocks[6].position: must be a list of two numbers [x, y], got [1]",
            "block fc: unknown parameter 'dropout' for Linear",
            "$.graph.blocks[7]: missing \"type\"",
            "$.graph.connections[1]: no block 'nowhere' (to \"nowhere.in\")",
            "$.graph.connections[2]: block fc has no output port 'result' (output ports: 'out')",
            "$.graph.connections[3]: input conv3.in is already fed by $.graph.connections[0]",
            "$.graph.connections[4].from: must be \"block.port\", got \"input\"",
            "$.dataset.horizontal_flip: must be true or false, got \"yes\"",
            "$.training.epochs: must be an integer, got \"ten\"",
            "$.training.learning_rate: must be >= 0, got -1",
            "$.training: unknown setting \"optimiser\"",
            "$.view.zoom: must be a number > 0, got 0",
        };
        try {
            parseProject(text, "broken.netdraft");
            QFAIL("a broken file was accepted");
        } catch (const ProjectLoadError& error) {
            const std::vector<std::string> lines = problemLines(error);
            for (size_t i = 0; i < std::max(lines.size(), expected.size()); ++i)
                QCOMPARE(i < lines.size() ? lines[i] : std::string("(none)"),
                    i < expected.size() ? expected[i] : std::string("(none)"));
            QCOMPARE(error.problems()[0].blockId, std::string("conv3"));
            QVERIFY(std::string(error.what()).rfind("broken.netdraft: 18 problems:\n  block conv3: ", 0) == 0);
        }
    }

    void savesAndReplacesAtomically()
    {
        QTemporaryDir folder;
        const fs::path path = fs::path(folder.path().toStdString()) / "project.netdraft";
        Project first = everyKindProject();
        saveProjectFile(first, path.string());
        QVERIFY(loadProjectFile(path.string()) == first);
        fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
        Project second = first;
        second.name = "second";
        saveProjectFile(second, path.string());
        QCOMPARE(readText(path), serializeProject(second));
        QCOMPARE(
            fs::status(path).permissions(), fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
        QVERIFY(leftovers(folder.path().toStdString(), "project.netdraft").empty());
    }

    void failedWriteKeepsTheOldFile()
    {
        // RLIMIT_FSIZE makes write() fail with EFBIG even for root, like a full disk.
        QTemporaryDir folder;
        const fs::path path = fs::path(folder.path().toStdString()) / "project.netdraft";
        writeText(path, "old contents");
        rlimit saved {};
        getrlimit(RLIMIT_FSIZE, &saved);
        rlimit small = saved;
        small.rlim_cur = 1000;
        auto previous = std::signal(SIGXFSZ, SIG_IGN);
        setrlimit(RLIMIT_FSIZE, &small);
        std::string message;
        try {
            saveProjectFile(everyKindProject(), path.string());
        } catch (const Error& error) {
            message = error.what();
        }
        setrlimit(RLIMIT_FSIZE, &saved);
        std::signal(SIGXFSZ, previous);
        QVERIFY2(message.rfind("cannot save " + path.string() + ": ", 0) == 0, message.c_str());
        QCOMPARE(readText(path), std::string("old contents"));
        QVERIFY(leftovers(folder.path().toStdString(), "project.netdraft").empty());
    }

    void unwritableFolderKeepsTheOldFile()
    {
        if (geteuid() == 0)
            QSKIP("root writes into read-only folders; failedWriteKeepsTheOldFile covers the failure path");
        QTemporaryDir folder;
        const fs::path path = fs::path(folder.path().toStdString()) / "project.netdraft";
        writeText(path, "old contents");
        fs::permissions(folder.path().toStdString(), fs::perms::owner_read | fs::perms::owner_exec);
        std::string message;
        try {
            saveProjectFile(everyKindProject(), path.string());
        } catch (const Error& error) {
            message = error.what();
        }
        fs::permissions(folder.path().toStdString(), fs::perms::owner_all);
        QVERIFY2(message.find("cannot save " + path.string()) != std::string::npos, message.c_str());
        QCOMPARE(readText(path), std::string("old contents"));
    }

    void refusesToReplaceDevicesAndFolders()
    {
        for (const std::string path : { "/dev/full", "/tmp" }) {
            try {
                saveProjectFile(everyKindProject(), path);
                QFAIL(("saved over " + path).c_str());
            } catch (const Error& error) {
                QCOMPARE(std::string(error.what()), "cannot save " + path + ": it exists and is not a regular file");
            }
        }
        QVERIFY(fs::is_character_file("/dev/full"));
        try {
            saveProjectFile(everyKindProject(), "/proc/netdraft-test.netdraft");
            QFAIL("saved into /proc");
        } catch (const Error& error) {
            QVERIFY2(
                std::string(error.what()).rfind("cannot save /proc/netdraft-test.netdraft: ", 0) == 0, error.what());
        }
    }
};

NETDRAFT_TEST(ProjectFormatTest);
#include "ProjectFormatTest.moc"
