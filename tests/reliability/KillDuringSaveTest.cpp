// Saves survive SIGKILL: a helper process saves a project, a checkpoint or an export in a loop,
// alternating two versions, and is killed at random moments. After every kill the target loads
// through the real loader as the complete old or new version, and the temporary file a killed save
// left is gone once the next process has started (it opens the project in that folder).
// NETDRAFT_KILL_TRIALS sets the kills per kind (default sized for about a minute per kind on a
// loaded 2-core machine); NETDRAFT_KILL_SEED the random moments; NETDRAFT_SAVE_LOOP another helper.

#include "engine/io/AtomicFile.h"
#include "engine/io/ProjectFormat.h"
#include "tests/reliability/ChildProcess.h"
#include "tests/reliability/SaveContents.h"
#include "tests/support/TestRegistry.h"

#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <sys/wait.h>
#include <thread>

using namespace netdraft::tests;
namespace fs = std::filesystem;

namespace {

int environmentNumber(const char* name, int fallback)
{
    const char* value = std::getenv(name);
    return value && *value ? std::atoi(value) : fallback;
}

/// Temporary save files in `folder` written by process `pid` (any process when pid is 0).
std::vector<std::string> temporaryFiles(const std::string& folder, long pid = 0)
{
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(folder)) {
        const long writer = netdraft::engine::temporarySaveWriter(entry.path().filename().string());
        if (writer > 0 && (pid == 0 || writer == pid))
            names.push_back(entry.path().string());
    }
    return names;
}

} // namespace

class KillDuringSaveTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void killedSaveLeavesOldOrNewFile_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("defaultTrials");
        // Each trial starts a LibTorch process and builds both versions (0.6-1.2 s on a loaded
        // 2-core machine); the defaults fit about a minute each.
        QTest::newRow("project") << "project" << 40;
        QTest::newRow("checkpoint") << "checkpoint" << 30;
        QTest::newRow("export") << "export" << 30;
    }

    void killedSaveLeavesOldOrNewFile()
    {
        QFETCH(QString, kind);
        QFETCH(int, defaultTrials);
        const SaveKind saveKind = saveKindFromName(kind.toStdString());
        const int trials = environmentNumber("NETDRAFT_KILL_TRIALS", defaultTrials);
        const unsigned seed = static_cast<unsigned>(environmentNumber("NETDRAFT_KILL_SEED", 20261127));
        std::mt19937 random(seed);

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string folder = dir.path().toStdString();
        const std::string target = folder + "/target." + (saveKind == SaveKind::Project ? "netdraft" : "pt");
        saveVersion(SaveKind::Project, 'A', folder + "/start.netdraft");

        // Kill within three save durations after "ready", so most kills land in or between saves
        // rather than always at the same phase.
        saveVersion(saveKind, 'A', target); // builds and caches both versions before timing
        saveVersion(saveKind, 'B', target);
        const auto before = std::chrono::steady_clock::now();
        for (int i = 0; i < 4; ++i) // B, A, B, A: the helper starts with B
            saveVersion(saveKind, i % 2 == 0 ? 'B' : 'A', target);
        const auto saveMicroseconds
            = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - before).count()
            / 4;
        QCOMPARE(loadedVersion(saveKind, target), 'A');
        std::uniform_int_distribution<long> delay(0, 3 * saveMicroseconds + 1000);

        // NETDRAFT_SAVE_LOOP: a copy of the helper, for long runs outside a build folder that changes.
        const char* helperOverride = std::getenv("NETDRAFT_SAVE_LOOP");
        const std::string helper
            = helperOverride && *helperOverride ? helperOverride : NETDRAFT_BINARY_DIR "/bin/netdraft_save_loop";
        int versionA = 0, versionB = 0, duringWrite = 0;
        std::vector<std::string> leftBehind;
        for (int trial = 0; trial < trials; ++trial) {
            ChildProcess child = startProcess(helper, { kind.toStdString(), target });
            QVERIFY2(child.pid > 0, "cannot start netdraft_save_loop");
            const bool ready = waitForLine(child, "ready", 120000);
            if (!ready) {
                const int status = finishProcess(child, true);
                QFAIL(qPrintable(QString("trial %1: the helper did not start (wait status %2)").arg(trial).arg(status)));
            }
            // The new process started in the folder: what the previous kill left must be gone.
            for (const std::string& name : leftBehind)
                QVERIFY2(!fs::exists(name), qPrintable(QString("trial %1: %2 survived the next start")
                                                           .arg(trial)
                                                           .arg(QString::fromStdString(name))));
            std::this_thread::sleep_for(std::chrono::microseconds(delay(random)));
            const pid_t pid = child.pid;
            const int status = finishProcess(child, true);
            QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
                qPrintable(QString("trial %1: the helper ended on its own (wait status %2)").arg(trial).arg(status)));

            leftBehind = temporaryFiles(folder, pid);
            if (!leftBehind.empty())
                ++duringWrite;
            char version = '?';
            try {
                version = loadedVersion(saveKind, target);
            } catch (const std::exception& error) {
                QFAIL(qPrintable(QString("trial %1: the target is damaged: %2").arg(trial).arg(error.what())));
            }
            (version == 'A' ? versionA : versionB)++;
        }
        // The next start cleans up after the last kill too.
        netdraft::engine::loadProjectFile(folder + "/start.netdraft");
        QVERIFY(temporaryFiles(folder).empty());
        qInfo("%s: %d kills (seed %u, delays 0-%ld us after start), %d during a write (temporary file left), "
              "target complete every time: %d version A, %d version B; 0 damaged",
            qPrintable(kind), trials, seed, 3 * saveMicroseconds + 1000, duringWrite, versionA, versionB);
        // Saves really happened between kills: both versions were seen.
        if (trials >= 20) {
            QVERIFY(versionA > 0);
            QVERIFY(versionB > 0);
        }
    }
};

NETDRAFT_TEST(KillDuringSaveTest);
#include "KillDuringSaveTest.moc"
