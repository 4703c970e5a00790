// A scripted editing session in the real main window, for KillWhileEditingTest: it opens a project
// (restoring a newer recovery file when one is offered, as a user answering "Restore" would), then
// adds a block every 40 ms through the document's undoable commands, with autosave every
// <autosave ms>, and prints what it did until it is killed:
//
//   netdraft_editing_session <project> <autosave ms> [check]
//
//   opened <blocks> offered <0|1>      after the project (or its recovery) is open
//   edit <blocks> <ms>                 after each edit: the block count and ms since the first edit
//   autosaved <blocks>                 after each recovery file written
//
// With "check" it exits after the first line. The folders come from XDG_CONFIG_HOME/XDG_DATA_HOME,
// which the test points at a temporary folder.

#include "app/gui/MainWindow.h"
#include "app/gui/ProjectSession.h"
#include "app/gui/Prompts.h"
#include "editor/GraphDocument.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdio>
#include <memory>

using namespace netdraft;

namespace {

class RestoringPrompts : public app::Prompts {
public:
    bool offered = false;
    SaveChoice askSaveChanges(QWidget*, const QString&) override { return SaveChoice::Discard; }
    bool askRestoreRecovery(QWidget*, const QString&, const QDateTime&) override
    {
        offered = true;
        return true;
    }
    void showLoadErrors(QWidget*, const QString& path, const QString& details) override
    {
        std::printf("load-error %s: %s\n", qPrintable(path), qPrintable(details.simplified()));
        std::fflush(stdout);
    }
    void showError(QWidget*, const QString& title, const QString& message) override
    {
        std::printf("error %s: %s\n", qPrintable(title), qPrintable(message.simplified()));
        std::fflush(stdout);
    }
    QString askSavePath(QWidget*, const QString&) override { return {}; }
    QString askOpenPath(QWidget*, const QString&) override { return {}; }
    QString askExportPath(QWidget*, const QString&, const QString&, const QString&) override { return {}; }
    void showInformation(QWidget*, const QString&, const QString&) override { }
};

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication application(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("NetdraftTests"));
    QApplication::setApplicationName(QStringLiteral("NetdraftEditingSession"));
    if (argc < 3) {
        std::fprintf(stderr, "usage: netdraft_editing_session <project> <autosave ms> [check]\n");
        return 2;
    }
    const QString projectPath = QString::fromLocal8Bit(argv[1]);
    const int autosaveMs = QString::fromLocal8Bit(argv[2]).toInt();
    const bool checkOnly = argc > 3 && QString::fromLocal8Bit(argv[3]) == QStringLiteral("check");

    auto prompts = std::make_unique<RestoringPrompts>();
    RestoringPrompts* answers = prompts.get();
    app::MainWindow window(std::move(prompts));
    window.show();
    if (!window.openProject(projectPath))
        return 3;
    editor::GraphDocument& document = window.session().document();
    auto blocks = [&] { return int(document.project().graph.blocks().size()); };
    std::printf("opened %d offered %d\n", blocks(), answers->offered ? 1 : 0);
    std::fflush(stdout);
    if (checkOnly)
        return 0;

    window.session().setAutosaveInterval(autosaveMs);
    QObject::connect(&window.session(), &app::ProjectSession::autosaved, [&] {
        std::printf("autosaved %d\n", blocks());
        std::fflush(stdout);
    });
    QElapsedTimer clock;
    clock.start();
    QTimer editor;
    editor.setInterval(40);
    QObject::connect(&editor, &QTimer::timeout, [&] {
        const int n = blocks();
        // What a double-click on the palette does: one undoable AddBlocks command.
        document.addBlock(QStringLiteral("ReLU"), QPointF(40.0 * (n % 40), 2000.0 + 60.0 * (n / 40)));
        std::printf("edit %d %lld\n", blocks(), static_cast<long long>(clock.elapsed()));
        std::fflush(stdout);
    });
    editor.start();
    return application.exec();
}
