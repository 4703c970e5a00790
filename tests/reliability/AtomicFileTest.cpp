// The shared atomic writer: the temporary-name pattern and the start-up cleanup, which removes
// what killed saves left and keeps what running processes are writing.

#include "engine/core/Error.h"
#include "engine/io/AtomicFile.h"
#include "engine/io/ProjectFormat.h"
#include "tests/support/TestRegistry.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace netdraft::engine;

namespace {

void touch(const std::string& path)
{
    std::ofstream(path) << "partial";
}

/// A pid that surely does not run: a child that has exited and been reaped.
long deadPid()
{
    const pid_t pid = ::fork();
    if (pid == 0)
        ::_exit(0);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return pid;
}

} // namespace

class AtomicFileTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void temporaryNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<long>("writer");
        QTest::newRow("project") << ".model.netdraft.saving-1234-aB3xYz" << 1234L;
        QTest::newRow("dots in name") << ".a.b.c.pt.saving-7-000000" << 7L;
        QTest::newRow("no leading dot") << "model.netdraft.saving-1234-aB3xYz" << 0L;
        QTest::newRow("five random characters") << ".m.saving-1234-aB3xY" << 0L;
        QTest::newRow("no pid") << ".m.saving--aB3xYz" << 0L;
        QTest::newRow("letters in pid") << ".m.saving-12a4-aB3xYz" << 0L;
        QTest::newRow("plain file") << "model.netdraft" << 0L;
        QTest::newRow("hidden file") << ".config" << 0L;
    }
    void temporaryNames()
    {
        QFETCH(QString, name);
        QFETCH(long, writer);
        QCOMPARE(temporarySaveWriter(name.toStdString()), writer);
    }

    void savesLeaveNoTemporaryFile()
    {
        // The name pattern of a live temporary file is checked by KillDuringSaveTest, which finds
        // the killed helper's temporaries by pid; here: none stays after successful saves.
        QTemporaryDir dir;
        const std::string target = dir.path().toStdString() + "/x.netdraft";
        writeFileAtomically(target, "one");
        writeFileAtomically(target, "two");
        QCOMPARE(readFileLimited(target, 100), std::string("two"));
        int entries = 0;
        for (const auto& entry : fs::directory_iterator(dir.path().toStdString())) {
            Q_UNUSED(entry);
            ++entries;
        }
        QCOMPARE(entries, 1); // no temporary file stays after a save
    }

    void cleanupRemovesOnlyDeadWriters()
    {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        const long dead = deadPid();
        const std::string stale = folder + "/.p.netdraft.saving-" + std::to_string(dead) + "-abcdef";
        const std::string staleOther = folder + "/.w.pt.saving-" + std::to_string(dead) + "-ABCDEF";
        const std::string running = folder + "/.p.netdraft.saving-" + std::to_string(::getppid()) + "-abcdef";
        const std::string mine = folder + "/.p.netdraft.saving-" + std::to_string(::getpid()) + "-abcdef";
        const std::string unrelated = folder + "/.p.netdraft.saving-notes";
        const std::string project = folder + "/p.netdraft";
        for (const std::string& path : { stale, staleOther, running, mine, unrelated, project })
            touch(path);

        // Only one target's temporaries when a target is named.
        QCOMPARE(removeStaleTemporaryFiles(folder, "w.pt"), 1);
        QVERIFY(!fs::exists(staleOther));
        QVERIFY(fs::exists(stale));
        QCOMPARE(removeStaleTemporaryFiles(folder), 1);
        QVERIFY(!fs::exists(stale));
        QVERIFY(fs::exists(running));
        QVERIFY(fs::exists(mine));
        QVERIFY(fs::exists(unrelated));
        QVERIFY(fs::exists(project));
        QCOMPARE(removeStaleTemporaryFiles(folder + "/no such folder"), 0);
    }

    void openingAProjectCleansItsFolder()
    {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        Project project;
        project.name = "clean";
        saveProjectFile(project, folder + "/p.netdraft");
        const std::string stale = folder + "/.ckpt.pt.saving-" + std::to_string(deadPid()) + "-xyzXYZ";
        touch(stale);
        QCOMPARE(loadProjectFile(folder + "/p.netdraft").name, std::string("clean"));
        QVERIFY(!fs::exists(stale));
    }

    void savingCleansItsTarget()
    {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        const std::string stale = folder + "/.t.bin.saving-" + std::to_string(deadPid()) + "-qwerty";
        touch(stale);
        writeFileAtomically(folder + "/t.bin", "x");
        QVERIFY(!fs::exists(stale));
    }
};

NETDRAFT_TEST(AtomicFileTest);
#include "AtomicFileTest.moc"
