// netdraft [PROJECT] [--train-on-start] [--set section.field=value ...]: the desktop application.

#include "NetdraftVersion.h"
#include "app/gui/MainWindow.h"
#include "app/gui/ProjectSession.h"
#include "app/gui/Theme.h"
#include "editor/GraphDocument.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <iostream>

using namespace netdraft;

namespace {

/// Applies "training.epochs=2" through the same undoable command as the settings panels.
bool applyOverride(app::ProjectSession& session, const QString& text)
{
    const QString key = text.section('=', 0, 0), word = text.section('=', 1);
    const QString sectionName = key.section('.', 0, 0), field = key.section('.', 1);
    const auto section = sectionName == QLatin1String("dataset") ? app::ProjectSettings::Section::Dataset
                                                                 : app::ProjectSettings::Section::Training;
    if (key.isEmpty() || (sectionName != QLatin1String("dataset") && sectionName != QLatin1String("training")))
        return false;
    try {
        const engine::ParamValue current = session.settings().value(section, field.toStdString());
        engine::ParamValue value = word.toStdString();
        if (std::holds_alternative<bool>(current))
            value = word == QLatin1String("true");
        else if (std::holds_alternative<int64_t>(current))
            value = int64_t(word.toLongLong());
        else if (std::holds_alternative<double>(current))
            value = word.toDouble();
        session.document().push(new app::SetSettingField(session.settings(), section, field.toStdString(), value));
        return true;
    } catch (const std::exception& error) {
        std::cerr << "netdraft: --set " << text.toStdString() << ": " << error.what() << "\n";
        return false;
    }
}

} // namespace

int main(int argc, char** argv)
{
    QApplication application(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Netdraft"));
    QApplication::setOrganizationName(QStringLiteral("Netdraft"));
    QApplication::setApplicationVersion(QStringLiteral(NETDRAFT_VERSION));
    app::initResources();
    QApplication::setWindowIcon(app::applicationIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Netdraft: draw, check, train and export neural networks."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("project"), QStringLiteral("A .netdraft project to open."));
    parser.addOption({ QStringLiteral("train-on-start"), QStringLiteral("Start training once the project is open.") });
    parser.addOption({ QStringLiteral("set"),
        QStringLiteral("Change a setting after opening, e.g. training.epochs=2 or dataset.samples=500."),
        QStringLiteral("section.field=value") });
    parser.process(application);

    app::MainWindow window;
    window.show();
    const QStringList positional = parser.positionalArguments();
    if (!positional.isEmpty())
        window.openProject(positional.first());
    else if (const QStringList templates = app::MainWindow::templatePaths(); !templates.isEmpty())
        window.newFromTemplate(templates.first());
    for (const QString& change : parser.values(QStringLiteral("set")))
        if (!applyOverride(window.session(), change))
            return 2;
    if (parser.isSet(QStringLiteral("train-on-start")))
        QTimer::singleShot(300, &window, [&window] { window.startTraining(); });
    return application.exec();
}
