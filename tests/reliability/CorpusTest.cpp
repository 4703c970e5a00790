// The malformed-file corpus (tests/corpus, written by tests/corpus/generate.py): every file is
// loaded through the real entry point (projects with `netdraft-cli validate`, data files with the
// engine's readers, .pt files with the weights importer, the TorchScript loader and the model importer;
// pt-import/, written by tests/corpus/generate_import.py, with the model importer), each in its own
// process with a time limit; onnx-import/, written by tests/corpus/generate_onnx_import.py, the same way
// when Netdraft is built with ONNX. Each must end in a clear error that names the file: no crash, no hang,
// no success. The valid seed files load, so the check can tell the difference.

#include "engine/core/Error.h"
#include "engine/io/FragmentFormat.h"
#include "engine/data/CifarReader.h"
#include "engine/data/CsvReader.h"
#include "engine/data/FileBytes.h"
#include "engine/data/IdxReader.h"
#include "engine/data/ImageDecoder.h"
#include "engine/data/TextTokens.h"
#include "engine/export/TorchScriptExport.h"
#include "engine/import/ImportService.h"
#include "engine/train/WeightsImport.h"
#include "engine/model/GraphModel.h"
#include "tests/reliability/ChildProcess.h"
#include "tests/reliability/SaveContents.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <functional>
#include <sys/wait.h>
#include <unistd.h>

using namespace netdraft::tests;
using namespace netdraft::engine;
namespace fs = std::filesystem;

namespace {

const std::string corpus = NETDRAFT_SOURCE_DIR "/tests/corpus";
constexpr int timeLimitMs = 30000;

/// How a load ended, from a child's exit code.
enum Outcome { ErrorNamingFile = 0, ErrorNotNamingFile = 10, Loaded = 11, OtherException = 12 };

/// Loads `path` the way the engine's entry point for its folder does; throws what the reader throws.
void loadInProcess(const std::string& folder, const std::string& path)
{
    const std::string name = fs::path(path).filename().string();
    if (folder == "idx") {
        if (name.rfind("labels", 0) == 0)
            readIdxLabels(path, 10);
        else
            readIdxImages(path);
    } else if (folder == "cifar") {
        if (name.rfind("c100", 0) == 0)
            readCifarBatch(path, 100, 20);
        else
            readCifarBatch(path, 10);
    } else if (folder == "csv") {
        const CsvTable table = readCsvTable(path);
        ND_CHECK(!table.header.empty(), path, ": no header");
        csvDataset(table, path, table.header.back(), false);
    } else if (folder == "text") { // the text dataset: UTF-8 check, then label<TAB>text lines
        const FileBytes file = readFileBytes(path);
        const std::string text(file.bytes.begin(), file.bytes.end());
        checkUtf8Text(text, path);
        lineLabelSamples(text, TextUnit::Words, 8, path);
    } else if (folder == "image") {
        std::vector<uint8_t> out(3 * 28 * 28);
        decodeImageInto(readFileBytes(path).bytes, path, 3, 28, 28, out.data());
    } else if (folder == "pt-weights") {
        GraphModel model = buildModel(tinyGraph(), 1);
        importWeightsFile(*model, path);
    } else if (folder == "pt-torchscript") {
        loadTorchScriptFile(path);
    } else if (folder == "pt-import") { // TorchScript read as a network to edit (netdraft-cli import)
        ImportRequest request;
        request.modelPath = path;
        request.format = "torchscript";
        request.inputShape = {8};
        importModel(request);
    } else if (folder == "onnx-import") { // ONNX read as a network to edit (netdraft-cli import)
        ImportRequest request;
        request.modelPath = path;
        request.format = "onnx";
        importModel(request);
    } else if (folder == "fragment") { // the clipboard's block fragments
        const FileBytes file = readFileBytes(path);
        parseFragment(std::string_view(reinterpret_cast<const char*>(file.bytes.data()), file.bytes.size()), Graph(),
            path);
    } else {
        throw std::logic_error("no loader for " + folder);
    }
}

/// Runs loadInProcess in a forked child; returns the outcome (or -1 hung, -2 - signal crashed) and
/// the error message.
int loadInChild(const std::string& folder, const std::string& path, std::string& message)
{
    int pipeEnds[2];
    if (::pipe(pipeEnds) != 0)
        return -100;
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(pipeEnds[0]);
        int outcome = Loaded;
        std::string text;
        try {
            loadInProcess(folder, path);
        } catch (const Error& error) {
            text = error.what();
            outcome = text.find(path) != std::string::npos ? ErrorNamingFile : ErrorNotNamingFile;
        } catch (const std::exception& error) {
            text = error.what();
            outcome = OtherException;
        }
        (void)!::write(pipeEnds[1], text.data(), text.size());
        ::_exit(outcome);
    }
    ::close(pipeEnds[1]);
    ChildProcess child { pid, pipeEnds[0] };
    bool timedOut = false;
    message = readAll(child, timeLimitMs, timedOut);
    const int status = finishProcess(child, timedOut);
    if (timedOut)
        return -1;
    if (WIFSIGNALED(status))
        return -2 - WTERMSIG(status);
    return WEXITSTATUS(status);
}

QString describe(int outcome, const std::string& message)
{
    if (outcome == -1)
        return "hung (no result within the time limit)";
    if (outcome <= -2)
        return QString("crashed with signal %1").arg(-2 - outcome);
    if (outcome == Loaded)
        return "loaded without an error";
    if (outcome == ErrorNotNamingFile)
        return QString("error does not name the file: ") + QString::fromStdString(message);
    if (outcome == OtherException)
        return QString("not an engine Error: ") + QString::fromStdString(message);
    return QString("exit %1: %2").arg(outcome).arg(QString::fromStdString(message));
}

/// The corpus folders this build reads (onnx-import/ only when Netdraft is built with ONNX).
std::vector<const char*> corpusFolders()
{
    std::vector<const char*> folders { "project", "idx", "cifar", "csv", "text", "image", "pt", "pt-import",
        "fragment" };
#ifdef NETDRAFT_ONNX_EXPORT
    folders.push_back("onnx-import");
#endif
    return folders;
}

void addRows(const std::string& folder, const std::vector<std::string>& loaders)
{
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(corpus + "/" + folder))
        files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    for (const std::string& file : files)
        for (const std::string& loader : loaders)
            QTest::newRow(qPrintable(QString::fromStdString(loader + "/" + fs::path(file).filename().string())))
                << QString::fromStdString(loader) << QString::fromStdString(file);
}

} // namespace

class CorpusTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        int files = 0;
        for (const char* folder : corpusFolders())
            for (const auto& entry : fs::directory_iterator(corpus + "/" + folder))
                files += entry.is_regular_file();
        qInfo("%d malformed files in %s", files, corpus.c_str());
        QVERIFY(files >= 200);
    }

    void dataFileIsRefused_data()
    {
        QTest::addColumn<QString>("loader");
        QTest::addColumn<QString>("file");
        for (const char* folder : { "idx", "cifar", "csv", "text", "image", "fragment" })
            addRows(folder, { folder });
        addRows("pt", { "pt-weights", "pt-torchscript", "pt-import" });
        addRows("pt-import", { "pt-import" });
#ifdef NETDRAFT_ONNX_EXPORT
        addRows("onnx-import", { "onnx-import" });
#endif
    }
    void dataFileIsRefused()
    {
        QFETCH(QString, loader);
        QFETCH(QString, file);
        std::string message;
        const int outcome = loadInChild(loader.toStdString(), file.toStdString(), message);
        QVERIFY2(outcome == ErrorNamingFile, qPrintable(describe(outcome, message)));
    }

    void projectIsRefused_data()
    {
        QTest::addColumn<QString>("loader");
        QTest::addColumn<QString>("file");
        addRows("project", { "validate" });
    }
    void projectIsRefused()
    {
        QFETCH(QString, file);
        ChildProcess child = startProcess(NETDRAFT_BINARY_DIR "/bin/netdraft-cli", { "validate", file.toStdString() }, true);
        QVERIFY(child.pid > 0);
        bool timedOut = false;
        const std::string output = readAll(child, timeLimitMs, timedOut);
        const int status = finishProcess(child, timedOut);
        QVERIFY2(!timedOut, "netdraft-cli validate hung");
        QVERIFY2(!WIFSIGNALED(status), qPrintable(QString("netdraft-cli validate crashed with signal %1:\n%2")
                                                      .arg(WTERMSIG(status))
                                                      .arg(QString::fromStdString(output))));
        // 2: cannot be read; 1: loads, but its design has errors (those name the block).
        const int code = WEXITSTATUS(status);
        QVERIFY2(code == 2 || code == 1, qPrintable(QString("exit %1:\n%2").arg(code).arg(QString::fromStdString(output))));
        QVERIFY2(output.find(file.toStdString()) != std::string::npos,
            qPrintable(QString("the message does not name the file:\n") + QString::fromStdString(output)));
    }

    /// The seeds the corpus was made from load, so a loader that refuses everything would fail here.
    void seedsLoad()
    {
        std::string message;
        QCOMPARE(loadInChild("pt-weights", corpus + "/seeds/weights.pt", message), int(Loaded));
        QCOMPARE(loadInChild("pt-weights", corpus + "/seeds/checkpoint.pt", message), int(Loaded));
        QCOMPARE(loadInChild("pt-torchscript", corpus + "/seeds/model.pt", message), int(Loaded));
        QCOMPARE(loadInChild("pt-import", corpus + "/seeds/model.pt", message), int(Loaded)); // Netdraft's own export
#ifdef NETDRAFT_ONNX_EXPORT
        QCOMPARE(loadInChild("onnx-import", corpus + "/seeds/model.onnx", message), int(Loaded));
#endif
        ChildProcess child = startProcess(
            NETDRAFT_BINARY_DIR "/bin/netdraft-cli", { "validate", corpus + "/seeds/tiny.netdraft" }, true);
        bool timedOut = false;
        const std::string output = readAll(child, timeLimitMs, timedOut);
        const int status = finishProcess(child, timedOut);
        QVERIFY2(WIFEXITED(status) && WEXITSTATUS(status) == 0, output.c_str());
    }
};

NETDRAFT_TEST(CorpusTest);
#include "CorpusTest.moc"
