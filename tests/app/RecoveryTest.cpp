// Autosave and recovery after a crash: the recovery file is written while modified, and a new window
// offers it when it is newer than the project.

#include "app/gui/MainWindow.h"
#include "app/gui/ProjectSession.h"
#include "editor/GraphDocument.h"
#include "engine/io/ProjectFormat.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace netdraft;
using netdraft::tests::ScriptedPrompts;

class RecoveryTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;

    /// What a crashed session leaves: the project on disk plus a newer recovery file with one more block.
    QString simulateCrash(const QString& name, engine::Project* recovered)
    {
        const engine::Project project = tests::tinyProject();
        const QString path = tests::saveProject(project, folder_, name);
        *recovered = project;
        recovered->graph.addBlock({ "extra_relu", "ReLU", "", {}, { 500, 500 } });
        const QString recovery = app::ProjectSession::recoveryPathFor(QFileInfo(path).absoluteFilePath());
        QDir().mkpath(QFileInfo(recovery).absolutePath());
        engine::saveProjectFile(*recovered, recovery.toStdString());
        // Make the project clearly older than the recovery file.
        QFile projectFile(path);
        projectFile.open(QIODevice::ReadWrite);
        projectFile.setFileTime(QDateTime::currentDateTime().addSecs(-120), QFileDevice::FileModificationTime);
        return path;
    }

private Q_SLOTS:
    void initTestCase() { tests::isolateUserFolders(folder_); }

    void autosaveWritesTheRecoveryFileWhileModified()
    {
        const QString path = tests::saveProject(tests::tinyProject(), folder_, QStringLiteral("autosave.netdraft"));
        app::MainWindow window { std::make_unique<ScriptedPrompts>() };
        QVERIFY(window.openProject(path));
        QSignalSpy autosaved(&window.session(), &app::ProjectSession::autosaved);
        window.session().setAutosaveInterval(50);
        QTest::qWait(200);
        QCOMPARE(autosaved.count(), 0); // nothing to keep while unmodified
        window.session().document().addBlock(QStringLiteral("ReLU"), QPointF(300, 300));
        QVERIFY(autosaved.wait(2000));
        const QString recovery = window.session().recoveryPath();
        QVERIFY(recovery.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
        QVERIFY(engine::loadProjectFile(recovery.toStdString()) == window.session().project());
        QVERIFY(window.save());
        QVERIFY(!QFile::exists(recovery)); // saved: nothing left to recover
    }

    void offersAndRestoresANewerRecoveryFile()
    {
        engine::Project recovered;
        const QString path = simulateCrash(QStringLiteral("crashed.netdraft"), &recovered);
        auto* prompts = new ScriptedPrompts;
        prompts->restoreRecovery = true;
        app::MainWindow window { std::unique_ptr<app::Prompts>(prompts) };
        QVERIFY(window.openProject(path));
        QCOMPARE(prompts->restoreQuestions, 1);
        QVERIFY(window.session().project() == recovered);
        QVERIFY(window.session().isModified()); // restored changes are not on disk yet
        QVERIFY(window.isWindowModified());
        QCOMPARE(window.session().filePath(), QFileInfo(path).absoluteFilePath());
    }

    void decliningTheOfferKeepsTheFileAndDropsTheRecovery()
    {
        engine::Project recovered;
        const QString path = simulateCrash(QStringLiteral("declined.netdraft"), &recovered);
        const engine::Project onDisk = engine::loadProjectFile(path.toStdString());
        auto* prompts = new ScriptedPrompts;
        prompts->restoreRecovery = false;
        app::MainWindow window { std::unique_ptr<app::Prompts>(prompts) };
        QVERIFY(window.openProject(path));
        QCOMPARE(prompts->restoreQuestions, 1);
        QVERIFY(window.session().project() == onDisk);
        QVERIFY(!window.session().isModified());
        QVERIFY(!QFile::exists(app::ProjectSession::recoveryPathFor(QFileInfo(path).absoluteFilePath())));
    }

    void anOlderRecoveryFileIsNotOffered()
    {
        engine::Project recovered;
        const QString path = simulateCrash(QStringLiteral("older.netdraft"), &recovered);
        QFile projectFile(path);
        projectFile.open(QIODevice::ReadWrite);
        projectFile.setFileTime(QDateTime::currentDateTime().addSecs(120), QFileDevice::FileModificationTime);
        projectFile.close();
        auto* prompts = new ScriptedPrompts;
        app::MainWindow window { std::unique_ptr<app::Prompts>(prompts) };
        QVERIFY(window.openProject(path));
        QCOMPARE(prompts->restoreQuestions, 0);
    }
};

NETDRAFT_TEST(RecoveryTest);
#include "RecoveryTest.moc"
