// An imported model's weights on disk and on export. The app keeps an untitled import's weights in a
// folder of its data (imports/NAME-TIMESTAMP/) and removes that folder once nothing names it: saved beside
// the project, replaced by another import, discarded, or imported while the window was going; never a file
// that the open project, a recovery file or a recent project names, nor a file the import did not write.
// Save As copies the weights beside the new file and never over a file that is not the project's. File ▸
// Export says which weights it writes: the imported ones until a run has trained, then that run's.

#include "app/gui/ExportRunner.h"
#include "app/gui/MainWindow.h"
#include "app/gui/ModelImportRunner.h"
#include "app/gui/ProjectSession.h"
#include "engine/export/ExportService.h"
#include "engine/io/ProjectFormat.h"
#include "tests/app/AppTestSupport.h"
#include "tests/app/TorchScriptFixture.h"
#include "tests/support/TestRegistry.h"
#include "widgets/LogWidget.h"

#include <QAction>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QSignalSpy>
#include <QTest>

#include <chrono>
#include <filesystem>

using namespace netdraft;
using netdraft::tests::ScriptedPrompts;

namespace {

QByteArray digestOf(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

/// The folders under the app's imports folder.
QStringList importFolders()
{
    return QDir(app::ModelImportRunner::importsFolder()).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
}

/// File ▸ Export's submenu.
QMenu* exportMenu(app::MainWindow& window)
{
    for (QMenu* menu : window.menuBar()->findChildren<QMenu*>())
        if (menu->title() == QStringLiteral("&Export"))
            return menu;
    return nullptr;
}

} // namespace

class ImportedWeightsTest : public QObject {
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

    bool importInto(app::MainWindow& window)
    {
        prompts_->importAnswers = { QString() };
        QSignalSpy imported(&window, &app::MainWindow::modelImported);
        if (!window.openFile(fixture_.path))
            return false;
        if (!QTest::qWaitFor([&] { return !imported.isEmpty(); }, 60000))
            return false;
        return imported.last().first().toBool();
    }

    /// The imports folder that holds the untitled project's weights.
    static QString importFolderOf(app::MainWindow& window)
    {
        return QFileInfo(window.session().initialWeightsFile()).absolutePath();
    }

    QString path(const QString& name) const { return folder_.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        tests::isolateUserFolders(folder_);
        fixture_ = tests::writeResidualMlp(path(QStringLiteral("residual_mlp.pt")));
    }

    void init() { QDir(app::ModelImportRunner::importsFolder()).removeRecursively(); }

    void savingRemovesTheImportFolder()
    {
        auto window = makeWindow();
        QVERIFY(importInto(*window));
        const QString imported = importFolderOf(*window);
        QVERIFY2(imported.startsWith(app::ModelImportRunner::importsFolder()), qPrintable(imported));
        QVERIFY(QFile::exists(imported + "/residual_mlp.weights.pt"));
        QCOMPARE(importFolders().size(), 1);

        prompts_->savePath = path(QStringLiteral("first/tuned.netdraft"));
        QDir().mkpath(path(QStringLiteral("first")));
        QVERIFY(window->saveAs());
        const QString copied = path(QStringLiteral("first/tuned.weights.pt"));
        QCOMPARE(window->session().initialWeightsFile(), copied);
        QVERIFY2(tests::compareParameters(fixture_.path, copied).isEmpty(), "the copy is the model's weights");
        // Nothing names the import's folder any more.
        QVERIFY2(!QFileInfo::exists(imported), qPrintable(imported));
        QVERIFY(importFolders().isEmpty());
    }

    /// Import again and save over the same project: its weights file is replaced, no second file, and
    /// the second import's folder goes too.
    void reimportingOverTheSameProject()
    {
        auto window = makeWindow();
        QVERIFY(importInto(*window));
        prompts_->savePath = path(QStringLiteral("again/model.netdraft"));
        QDir().mkpath(path(QStringLiteral("again")));
        QVERIFY(window->saveAs());
        const QString weights = path(QStringLiteral("again/model.weights.pt"));
        writeFile(weights, "what the first save wrote, changed"); // so that the second save shows
        const QByteArray before = digestOf(weights);

        QVERIFY(importInto(*window));
        const QString second = importFolderOf(*window);
        QVERIFY(QFileInfo::exists(second));
        QVERIFY(window->saveAs());
        QVERIFY(digestOf(weights) != before);
        QVERIFY2(tests::compareParameters(fixture_.path, weights).isEmpty(), "the second import's weights");
        QCOMPARE(
            engine::loadProjectFile(prompts_->savePath.toStdString()).initialWeights, std::string("model.weights.pt"));
        QCOMPARE(QDir(path(QStringLiteral("again"))).entryList(QDir::Files, QDir::Name),
            QStringList({ "model.netdraft", "model.weights.pt" }));
        QVERIFY(!QFileInfo::exists(second));
        QVERIFY(importFolders().isEmpty());
    }

    /// An unsaved import replaced by another, then the window closed: both folders go.
    void replacedAndDiscardedImportsGo()
    {
        auto window = makeWindow();
        QVERIFY(importInto(*window));
        const QString first = importFolderOf(*window);
        prompts_->saveChoice = app::Prompts::SaveChoice::Discard;
        QVERIFY(importInto(*window));
        const QString second = importFolderOf(*window);
        QVERIFY(first != second);
        QVERIFY(!QFileInfo::exists(first));
        QVERIFY(QFileInfo::exists(second + "/residual_mlp.weights.pt")); // the open project's
        QVERIFY(window->close());
        window.reset();
        QVERIFY(importFolders().isEmpty());
    }

    /// An import still running when the window goes writes its files and is removed then.
    void anImportCutShortByClosingLeavesNothing()
    {
        auto window = makeWindow();
        prompts_->importAnswers = { QString() };
        QVERIFY(window->openFile(fixture_.path));
        QVERIFY(window->importer().isRunning());
        window.reset(); // waits for the import, which writes its folder
        QVERIFY2(importFolders().isEmpty(), qPrintable(importFolders().join(", ")));
    }

    /// A recovery file (an unsaved import after a crash) keeps its folder; a stale import's folder goes
    /// when the next window starts, except for a file of the user's put into one, and a folder the app
    /// did not make stays.
    void namedAndForeignFilesStay()
    {
        auto window = makeWindow();
        QVERIFY(importInto(*window));
        const QString imported = importFolderOf(*window);
        QVERIFY(window->session().writeRecovery());
        const QString recovery = window->session().recoveryPath();
        const QString root = app::ModelImportRunner::importsFolder();
        const QString stale = root + "/old-20200101-000000-000";
        writeFile(stale + "/old.netdraft", "{}");
        writeFile(stale + "/old.weights.pt", "an import's");
        const QString withUserFile = root + "/mine-20200101-000000-000";
        writeFile(withUserFile + "/mine.weights.pt", "an import's");
        writeFile(withUserFile + "/notes.txt", "the user's");
        const QString notAnImport = root + "/keep";
        writeFile(notAnImport + "/keep.weights.pt", "the user's");
        for (const QString& folder : { stale, withUserFile, notAnImport, imported })
            std::filesystem::last_write_time(
                folder.toStdString(), std::filesystem::file_time_type::clock::now() - std::chrono::hours(72));

        window.reset(); // the recovery file still names the import: kept
        QVERIFY(QFileInfo::exists(imported + "/residual_mlp.weights.pt"));
        auto next = tests::shownWindow(&prompts_); // removes imports older than a day that nothing names
        QVERIFY(!QFileInfo::exists(stale));
        QVERIFY(!QFileInfo::exists(withUserFile + "/mine.weights.pt"));
        QVERIFY(QFileInfo::exists(withUserFile + "/notes.txt"));
        QVERIFY(QFileInfo::exists(notAnImport + "/keep.weights.pt"));
        QVERIFY(QFileInfo::exists(imported + "/residual_mlp.weights.pt"));
        next.reset();
        // Without the recovery file the import is stale too.
        QVERIFY(QFile::remove(recovery));
        next = tests::shownWindow(&prompts_);
        QVERIFY(!QFileInfo::exists(imported));
    }

    /// Save As elsewhere: the new file gets its own copy, the first project keeps its file, and a file
    /// of the user's with the name the copy would take is left alone.
    void saveAsCopiesBesideTheNewFile()
    {
        auto window = makeWindow();
        QVERIFY(importInto(*window));
        prompts_->savePath = path(QStringLiteral("a/p.netdraft"));
        QDir().mkpath(path(QStringLiteral("a")));
        QVERIFY(window->saveAs());
        const QString first = path(QStringLiteral("a/p.weights.pt"));
        const QByteArray firstDigest = digestOf(first);

        const QString users = path(QStringLiteral("b/q.weights.pt"));
        writeFile(users, "the user's own weights");
        const QByteArray usersDigest = digestOf(users);
        prompts_->savePath = path(QStringLiteral("b/q.netdraft"));
        QVERIFY(window->saveAs());
        QCOMPARE(digestOf(users), usersDigest);
        const engine::Project saved = engine::loadProjectFile(prompts_->savePath.toStdString());
        QCOMPARE(saved.initialWeights, std::string("q.weights-2.pt"));
        QCOMPARE(window->session().initialWeightsFile(), path(QStringLiteral("b/q.weights-2.pt")));
        QCOMPARE(digestOf(path(QStringLiteral("b/q.weights-2.pt"))), firstDigest);
        QCOMPARE(digestOf(first), firstDigest); // a/p.netdraft still names it
        QCOMPARE(engine::loadProjectFile(path(QStringLiteral("a/p.netdraft")).toStdString()).initialWeights,
            std::string("p.weights.pt"));

        // A plain Save keeps the name it has, with no third file.
        QVERIFY(window->save());
        QCOMPARE(
            engine::loadProjectFile(prompts_->savePath.toStdString()).initialWeights, std::string("q.weights-2.pt"));
        QCOMPARE(QDir(path(QStringLiteral("b"))).entryList(QDir::Files, QDir::Name),
            QStringList({ "q.netdraft", "q.weights-2.pt", "q.weights.pt" }));
    }

    /// File ▸ Export before any run: the menu, the question and the log say the imported weights go out,
    /// and the export's notes name their file.
    void exportSaysTheImportedWeightsGoOut()
    {
        auto window = makeWindow();
        QVERIFY(importInto(*window));
        const QString line
            = QStringLiteral("Exports the imported weights (residual_mlp.weights.pt, not trained in Netdraft yet)");
        QCOMPARE(window->exportWeightsLine(), line);
        QMenu* menu = exportMenu(*window);
        QVERIFY(menu);
        QMetaObject::invokeMethod(menu, "aboutToShow");
        QAction* header = menu->findChild<QAction*>(QStringLiteral("exportWeightsSource"));
        QVERIFY(header);
        QCOMPARE(header->text(), line);
        QVERIFY(!header->isEnabled());
        QCOMPARE(menu->actions().first(), header);

        prompts_->untrainedChoice = { app::Prompts::UntrainedExportChoice::Kind::InitialWeights };
        prompts_->exportPath = path(QStringLiteral("imported.pt"));
        QSignalSpy exported(&window->exporter(), &app::ExportRunner::finished);
        window->action(app::MainWindow::exportActionName("torchscript"))->trigger();
        QCOMPARE(prompts_->untrainedQuestions, 1);
        QCOMPARE(prompts_->untrainedSource, line);
        QVERIFY(exported.wait(60000));
        QVERIFY2(exported.last().first().toBool(), qPrintable(exported.last().at(1).toString()));
        const QString log = window->log()->toPlainText();
        QVERIFY2(log.contains("Exporting TorchScript to " + prompts_->exportPath + ". " + line + "."), qPrintable(log));
        QVERIFY2(log.contains(line + ": " + window->session().initialWeightsFile()), qPrintable(log));
    }

    /// A project without imported weights says the seeded ones; once a run of the design has weights,
    /// that run's.
    void exportNamesTheRunOnceOneTrained()
    {
        auto window = makeWindow();
        QVERIFY(window->openProject(
            tests::saveProject(tests::tinyProject(200, 1, 50), folder_, QStringLiteral("tiny.netdraft"))));
        QCOMPARE(window->exportWeightsLine(), QStringLiteral("Exports the seeded initial weights (untrained)"));
        QSignalSpy trained(window.get(), &app::MainWindow::trainingFinished);
        QVERIFY(window->startTraining());
        QVERIFY(trained.wait(120000));
        const QString line = window->exportWeightsLine();
        QVERIFY2(
            line.startsWith(QStringLiteral("Exports the weights of run 1 (1 epoch, test accuracy ")), qPrintable(line));
        QVERIFY2(line.endsWith(QStringLiteral(" %)")), qPrintable(line));
    }
};

NETDRAFT_TEST(ImportedWeightsTest);
#include "ImportedWeightsTest.moc"
