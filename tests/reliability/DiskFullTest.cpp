// A full disk never costs the previous file and never ends the process: saving a project, a
// checkpoint or an export to /dev/full, and under a file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored,
// so writes fail with EFBIG part way like on a full disk) reports an Error naming the file, leaves
// the old file loadable as before and leaves no temporary file. The limits run in forked children
// so the test process keeps its own limit; a child that terminates or hangs is a failure.

#include "engine/core/Error.h"
#include "engine/io/AtomicFile.h"
#include "tests/reliability/SaveContents.h"
#include "tests/support/TestRegistry.h"

#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <random>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace netdraft::tests;
namespace fs = std::filesystem;

namespace {

enum ChildResult { Reported = 0, Succeeded = 3, WrongMessage = 4, UnexpectedException = 5 };

/// In a child: the save under a file-size limit of `limit` bytes.
[[noreturn]] void saveUnderLimit(SaveKind kind, const std::string& target, rlim_t limit)
{
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit small { limit, limit };
    ::setrlimit(RLIMIT_FSIZE, &small);
    try {
        saveVersion(kind, 'B', target);
        ::_exit(Succeeded);
    } catch (const netdraft::engine::Error& error) {
        const std::string message = error.what();
        ::_exit(message.find(target) != std::string::npos && message.find("File too large") != std::string::npos
                ? Reported
                : WrongMessage);
    } catch (...) {
        ::_exit(UnexpectedException);
    }
}

/// Waits up to a minute; a child still running then is killed and reported as hung (-1).
int reap(pid_t pid)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return status;
}

int temporaryFileCount(const std::string& folder)
{
    int count = 0;
    for (const auto& entry : fs::directory_iterator(folder))
        count += netdraft::engine::temporarySaveWriter(entry.path().filename().string()) > 0;
    return count;
}

} // namespace

class DiskFullTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void kinds_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("project") << "project";
        QTest::newRow("checkpoint") << "checkpoint";
        QTest::newRow("export") << "export";
    }

    void devFullReportsError_data() { kinds_data(); }
    void devFullReportsError()
    {
        QFETCH(QString, kind);
        const SaveKind saveKind = saveKindFromName(kind.toStdString());
        for (int trial = 0; trial < 10; ++trial) {
            try {
                saveVersion(saveKind, 'B', "/dev/full");
                QFAIL("saving to /dev/full succeeded");
            } catch (const netdraft::engine::Error& error) {
                QVERIFY2(std::string(error.what()).find("cannot save /dev/full") != std::string::npos, error.what());
            }
        }
        // A link to /dev/full in place of the old file fails the same way and keeps the link.
        QTemporaryDir dir;
        const std::string link = dir.path().toStdString() + "/linked";
        fs::create_symlink("/dev/full", link);
        QVERIFY_THROWS_EXCEPTION(netdraft::engine::Error, saveVersion(saveKind, 'B', link));
        QVERIFY(fs::is_symlink(link));
        QCOMPARE(temporaryFileCount(dir.path().toStdString()), 0);
    }

    void fileSizeLimitKeepsOldFile_data() { kinds_data(); }
    void fileSizeLimitKeepsOldFile()
    {
        QFETCH(QString, kind);
        const SaveKind saveKind = saveKindFromName(kind.toStdString());
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        const std::string target = folder + "/target";
        // Version B's size, and both versions built before forking (children only write).
        saveVersion(saveKind, 'B', target);
        const auto newSize = static_cast<rlim_t>(fs::file_size(target));
        saveVersion(saveKind, 'A', target);
        const std::string oldBytes = netdraft::engine::readFileLimited(target, 1ull << 30);

        std::mt19937 random(8);
        std::vector<rlim_t> limits { 0, 1, 21, 22, 4095, 4096, 65536, newSize - 1 };
        std::uniform_int_distribution<rlim_t> anywhere(0, newSize - 1);
        // Exports start a process per trial: fewer of them.
        while (limits.size() < (saveKind == SaveKind::Export ? 12u : 40u))
            limits.push_back(anywhere(random));
        int reported = 0;
        for (const rlim_t limit : limits) {
            if (limit >= newSize)
                continue;
            // Exports build a TorchScript module, which uses LibTorch's thread pools: in a forked child
            // of this multithreaded process that can deadlock, so they run in a fresh helper process.
            const bool freshProcess = saveKind == SaveKind::Export;
            const pid_t pid = ::fork();
            if (pid == 0 && freshProcess) {
                std::signal(SIGXFSZ, SIG_IGN);
                const rlimit small { limit, limit };
                ::setrlimit(RLIMIT_FSIZE, &small);
                const std::string helper = NETDRAFT_BINARY_DIR "/bin/netdraft_save_loop";
                const std::string mode = "once-" + kind.toStdString();
                ::execl(helper.c_str(), helper.c_str(), mode.c_str(), target.c_str(), static_cast<char*>(nullptr));
                ::_exit(127);
            }
            if (pid == 0)
                saveUnderLimit(saveKind, target, limit);
            QVERIFY(pid > 0);
            const int status = reap(pid);
            const QString where = QString("%1 under a %2-byte limit: ").arg(kind).arg(limit);
            QVERIFY2(status != -1, qPrintable(where + "the save hung"));
            QVERIFY2(!WIFSIGNALED(status), qPrintable(where + "terminated by signal " + QString::number(WTERMSIG(status))));
            QVERIFY2(WIFEXITED(status), qPrintable(where + "did not exit"));
            QVERIFY2(WEXITSTATUS(status) != Succeeded, qPrintable(where + "the save succeeded"));
            QVERIFY2(WEXITSTATUS(status) != WrongMessage, qPrintable(where + "the error does not name the file and EFBIG"));
            // The helper reports a failed save with exit 1 and its message on stderr.
            QVERIFY2(WEXITSTATUS(status) == (freshProcess ? 1 : int(Reported)),
                qPrintable(where + "exit " + QString::number(WEXITSTATUS(status))));
            QVERIFY2(netdraft::engine::readFileLimited(target, 1ull << 30) == oldBytes, qPrintable(where + "old file changed"));
            QCOMPARE(temporaryFileCount(folder), 0);
            ++reported;
        }
        QCOMPARE(loadedVersion(saveKind, target), 'A');
        qInfo("%s: %d saves under file-size limits 0..%llu bytes: %d errors reported, 0 crashes, old file intact",
            qPrintable(kind), reported, static_cast<unsigned long long>(newSize - 1), reported);
    }
};

NETDRAFT_TEST(DiskFullTest);
#include "DiskFullTest.moc"
