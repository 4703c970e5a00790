// File ▸ New and the start view (issue 16, item 2): a blank project holds only an Input wired to an
// Output; the start view offers blank, the templates of projects/ and the recent files; a project
// made from a template takes its own name and file name on first save; unsaved work is asked about.

#include "app/gui/MainWindow.h"
#include "app/gui/ProjectSession.h"
#include "editor/GraphDocument.h"
#include "engine/io/ProjectFormat.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/StartPage.h"

#include <QAction>
#include <QFile>
#include <QFileInfo>
#include <QPushButton>
#include <QTest>

#include <set>

using namespace netdraft;
using netdraft::tests::ScriptedPrompts;

namespace {

std::set<std::string> blockTypes(const engine::Project& project)
{
    std::set<std::string> types;
    for (const auto& block : project.graph.blocks())
        types.insert(block.type);
    return types;
}

QPushButton* startButton(app::MainWindow& window, const QString& name)
{
    return window.startPage()->findChild<QPushButton*>(name);
}

} // namespace

class NewProjectTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;

    std::unique_ptr<app::MainWindow> windowOn(const QString& path, ScriptedPrompts** prompts)
    {
        auto window = tests::shownWindow(prompts);
        if (!path.isEmpty() && !window->openProject(path))
            return nullptr;
        return window;
    }

private Q_SLOTS:
    void initTestCase() { tests::isolateUserFolders(folder_); }

    void newAsksFirstThenGivesInputAndOutputOnly()
    {
        const QString path = tests::saveProject(tests::tinyProject(), folder_, QStringLiteral("edited.netdraft"));
        ScriptedPrompts* prompts = nullptr;
        auto window = windowOn(path, &prompts);
        QVERIFY(window);
        QAction* newAction = window->action(QStringLiteral("fileNew"));
        QVERIFY(newAction);
        QCOMPARE(newAction->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_N));
        window->session().document().addBlock(QStringLiteral("ReLU"), QPointF(400, 300));
        const engine::Project edited = window->session().project();

        prompts->saveChoice = app::Prompts::SaveChoice::Cancel;
        newAction->trigger();
        QCOMPARE(prompts->saveQuestions, 1);
        QVERIFY(window->session().project() == edited);
        QCOMPARE(window->session().filePath(), path);

        prompts->saveChoice = app::Prompts::SaveChoice::Discard;
        newAction->trigger();
        QCOMPARE(prompts->saveQuestions, 2);
        const engine::Project blank = window->session().project();
        QCOMPARE(blockTypes(blank), (std::set<std::string> { "Input", "Output" }));
        QCOMPARE(blank.graph.connections().size(), size_t(1)); // the wire to drop layers onto
        QVERIFY(window->session().filePath().isEmpty());
        QVERIFY(!window->session().isModified());
        QVERIFY2(window->windowTitle().startsWith(QStringLiteral("Untitled")), qPrintable(window->windowTitle()));
        QVERIFY(window->runHistory().runs().empty());
        QVERIFY(window->isStartPageShown());

        // An unmodified project is replaced without a question.
        newAction->trigger();
        QCOMPARE(prompts->saveQuestions, 2);
    }

    void startPageOffersBlankTemplatesAndRecentFiles()
    {
        const QString recent = tests::saveProject(tests::tinyProject(), folder_, QStringLiteral("recent.netdraft"));
        ScriptedPrompts* prompts = nullptr;
        auto window = windowOn(recent, &prompts);
        QVERIFY(window);
        window->action(QStringLiteral("fileNew"))->trigger();
        QVERIFY(window->isStartPageShown());

        const QStringList templates = app::MainWindow::templatePaths();
        QVERIFY(templates.size() >= 2);
        for (const QString& path : templates) {
            QPushButton* button = startButton(*window, "template:" + QFileInfo(path).completeBaseName());
            QVERIFY2(button, qPrintable(path));
            QCOMPARE(button->text(), QString::fromStdString(engine::loadProjectFile(path.toStdString()).name));
        }
        QPushButton* newest = startButton(*window, QStringLiteral("recent:0"));
        QVERIFY(newest);
        QCOMPARE(newest->toolTip(), QFileInfo(recent).absoluteFilePath());

        // Blank: the canvas with the blank project.
        startButton(*window, QStringLiteral("blankProject"))->click();
        QVERIFY(!window->isStartPageShown());
        QCOMPARE(blockTypes(window->session().project()), (std::set<std::string> { "Input", "Output" }));

        // A recent file opens.
        window->showStartPage();
        startButton(*window, QStringLiteral("recent:0"))->click();
        QVERIFY(!window->isStartPageShown());
        QCOMPARE(window->session().filePath(), QFileInfo(recent).absoluteFilePath());

        // A template becomes an untitled copy.
        window->showStartPage();
        startButton(*window, QStringLiteral("template:mlp_spirals"))->click();
        QVERIFY(!window->isStartPageShown());
        QVERIFY(window->session().filePath().isEmpty());
        QCOMPARE(window->session().project().dataset.kind, std::string("spirals"));
        QCOMPARE(prompts->saveQuestions, 0);
    }

    void aProjectFromATemplateTakesItsOwnName()
    {
        const QString templatePath = QStringLiteral(NETDRAFT_SOURCE_DIR "/projects/classic_cnn.netdraft");
        QFile templateFile(templatePath);
        QVERIFY(templateFile.open(QIODevice::ReadOnly));
        const QByteArray templateBytes = templateFile.readAll();
        ScriptedPrompts* prompts = nullptr;
        auto window = windowOn(QString(), &prompts);
        QVERIFY(window->newFromTemplate(templatePath));
        QVERIFY(window->session().filePath().isEmpty());

        const QString path = folder_.filePath(QStringLiteral("my_network.netdraft"));
        prompts->savePath = path;
        window->action(QStringLiteral("fileSave"))->trigger();
        QCOMPARE(prompts->saveSuggestions.size(), 1);
        QCOMPARE(QFileInfo(prompts->saveSuggestions.first()).fileName(), QStringLiteral("untitled.netdraft"));
        QCOMPARE(window->session().filePath(), path);
        QCOMPARE(engine::loadProjectFile(path.toStdString()).name, std::string("my_network"));
        QVERIFY2(
            window->windowTitle().startsWith(QStringLiteral("my_network.netdraft")), qPrintable(window->windowTitle()));
        QFile again(templatePath);
        QVERIFY(again.open(QIODevice::ReadOnly));
        QCOMPARE(again.readAll(), templateBytes); // the template is untouched
    }
};

NETDRAFT_TEST(NewProjectTest);
#include "NewProjectTest.moc"
