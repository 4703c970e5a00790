// netdraft [PROJECT|MODEL] [--train-on-start] [--set section.field=value ...] [--quit-after-load]: the
// desktop application; without PROJECT it starts on a blank project and the start view.
// `netdraft --version` prints the versions without needing a display.

#include "NetdraftVersion.h"
#include "app/cli/VersionText.h"
#include "app/gui/MainWindow.h"
#include "app/gui/ModelImportRunner.h"
#include "app/gui/ProjectSession.h"
#include "app/gui/Theme.h"
#include "editor/GraphDocument.h"
#include "editor/commands/SetSetting.h"
#include "engine/import/ImportFormat.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QEventLoop>
#include <QFileInfo>
#include <QTimer>

#include <cstring>
#include <iostream>

using namespace netdraft;

namespace {

/// Applies "training.epochs=2" through the same undoable command as the settings panels.
bool applyOverride(app::ProjectSession& session, const QString& text)
{
    const QString key = text.section('=', 0, 0), word = text.section('=', 1);
    const QString sectionName = key.section('.', 0, 0), field = key.section('.', 1);
    const auto section
        = sectionName == QLatin1String("dataset") ? editor::SettingSection::Dataset : editor::SettingSection::Training;
    if (key.isEmpty() || (sectionName != QLatin1String("dataset") && sectionName != QLatin1String("training")))
        return false;
    try {
        const engine::ParamValue current = session.document().setting(section, field.toStdString());
        engine::ParamValue value = word.toStdString();
        if (std::holds_alternative<bool>(current))
            value = word == QLatin1String("true");
        else if (std::holds_alternative<int64_t>(current))
            value = int64_t(word.toLongLong());
        else if (std::holds_alternative<double>(current))
            value = word.toDouble();
        session.document().push(
            new editor::commands::SetSetting(session.document(), section, field.toStdString(), value));
        return true;
    } catch (const std::exception& error) {
        std::cerr << "netdraft: --set " << text.toStdString() << ": " << error.what() << "\n";
        return false;
    }
}

/// For --quit-after-load: problems go to stderr instead of dialogs that would wait for a click.
class ConsolePrompts : public app::Prompts {
public:
    SaveChoice askSaveChanges(QWidget*, const QString&) override { return SaveChoice::Discard; }
    bool askRestoreRecovery(QWidget*, const QString&, const QDateTime&) override { return false; }
    void showLoadErrors(QWidget*, const QString& path, const QString& details) override
    {
        std::cerr << "netdraft: cannot open " << path.toStdString() << "\n" << details.toStdString() << std::endl;
    }
    void showError(QWidget*, const QString& title, const QString& message) override
    {
        std::cerr << "netdraft: " << title.toStdString() << ": " << message.toStdString() << std::endl;
    }
    /// A model named on the command line: imported with the shape the file says; asked again, it stops.
    std::optional<QString> askImport(QWidget*, const QString& path, const QString& formatTitle, bool runsCode,
        const QString&, const QString& reason, const QString& exportedProject) override
    {
        if (!reason.isEmpty()) {
            std::cerr << "netdraft: cannot import " << path.toStdString() << ": " << reason.toStdString() << std::endl;
            return std::nullopt;
        }
        std::cout << "Importing " << path.toStdString() << " (" << formatTitle.toStdString() << ")"
                  << (exportedProject.isEmpty() ? "" : ", the project “" + exportedProject.toStdString() + "”")
                  << (runsCode ? ". TorchScript is code: only open files you trust." : "") << std::endl;
        return QString();
    }
};

/// "*.pt, *.pth, *.onnx": the model files `netdraft MODEL` imports, from the import-format registry.
QString modelSuffixes()
{
    QStringList suffixes;
    for (const engine::ImportFormatInfo& format : engine::importFormats())
        for (const std::string& suffix : format.suffixes)
            suffixes << QStringLiteral("*") + QString::fromStdString(suffix);
    return suffixes.join(QStringLiteral(", "));
}

/// --version / -v is answered before QApplication exists, so that it works without a display.
bool printVersionIfAsked(int argc, char** argv)
{
    for (int index = 1; index < argc; ++index) {
        if (std::strcmp(argv[index], "--version") == 0 || std::strcmp(argv[index], "-v") == 0) {
            std::cout << app::versionText("netdraft", { { "Qt", qVersion() } }) << std::endl;
            return true;
        }
    }
    return false;
}

} // namespace

int main(int argc, char** argv)
{
    if (printVersionIfAsked(argc, argv))
        return 0;
    QApplication application(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Netdraft"));
    QApplication::setOrganizationName(QStringLiteral("Netdraft"));
    QApplication::setApplicationVersion(QStringLiteral(NETDRAFT_VERSION));
    app::initResources();
    QApplication::setWindowIcon(app::applicationIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Netdraft: draw, check, train and export neural networks."));
    parser.addHelpOption();
    parser.addOption({ { QStringLiteral("v"), QStringLiteral("version") },
        QStringLiteral("Print the versions of Netdraft, Qt, LibTorch and CUDA, and quit.") });
    parser.addPositionalArgument(QStringLiteral("project"),
        QStringLiteral("A .netdraft project to open, or a model file to import (%1) as File ▸ Import Model… does.")
            .arg(modelSuffixes()));
    parser.addOption({ QStringLiteral("train-on-start"), QStringLiteral("Start training once the project is open.") });
    parser.addOption({ QStringLiteral("set"),
        QStringLiteral("Change a setting after opening, e.g. training.epochs=2 or dataset.samples=500."),
        QStringLiteral("section.field=value") });
    parser.addOption({ QStringLiteral("quit-after-load"),
        QStringLiteral("Open the window and the project, print what was loaded, then quit (exit status 1 when the "
                       "project did not load); for install checks.") });
    parser.process(application);

    const bool quitAfterLoad = parser.isSet(QStringLiteral("quit-after-load"));
    app::MainWindow window(quitAfterLoad ? std::make_unique<ConsolePrompts>() : nullptr);
    window.show();
    const QStringList positional = parser.positionalArguments();
    bool loaded = true;
    if (!positional.isEmpty()) {
        loaded = window.openOnStart(positional.first());
        if (loaded && quitAfterLoad && window.importer().isRunning()) { // the import's end is what loaded means
            QEventLoop importing;
            QObject::connect(&window, &app::MainWindow::modelImported, &importing, [&](bool ok) {
                if (!window.importer().isRunning()) {
                    loaded = ok;
                    importing.quit();
                }
            });
            importing.exec();
        }
    } else { // a blank project behind the start view: blank, a template or a recent file
        window.newProject();
        window.showStartPage();
    }
    if (quitAfterLoad) {
        const engine::Project project = window.session().project();
        if (loaded)
            std::cout << "loaded " << window.session().displayName().toStdString() << ": "
                      << (project.name.empty() ? std::string("(no name)") : project.name) << ", "
                      << project.graph.blocks().size() << " blocks" << std::endl;
        else
            std::cerr << "netdraft: the project did not load" << std::endl;
        const QStringList templates = app::MainWindow::templatePaths();
        std::cout << "templates: " << templates.size() << " in "
                  << (templates.isEmpty() ? std::string("(none)")
                                          : QFileInfo(templates.first()).absolutePath().toStdString())
                  << std::endl;
        QTimer::singleShot(0, &window, &QWidget::close);
        application.exec();
        return loaded ? 0 : 1;
    }
    for (const QString& change : parser.values(QStringLiteral("set")))
        if (!applyOverride(window.session(), change))
            return 2;
    if (parser.isSet(QStringLiteral("train-on-start")))
        QTimer::singleShot(300, &window, [&window] { window.startTraining(); });
    return application.exec();
}
