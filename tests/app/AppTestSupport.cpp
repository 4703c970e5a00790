#include "tests/app/AppTestSupport.h"

#include "app/gui/MainWindow.h"

#include "engine/graph/GraphBuilder.h"
#include "engine/io/ProjectFormat.h"

#include <QCoreApplication>
#include <QFile>
#include <QStandardPaths>

#include <algorithm>

namespace netdraft::tests {

std::unique_ptr<app::MainWindow> shownWindow(ScriptedPrompts** prompts)
{
    auto scripted = std::make_unique<ScriptedPrompts>();
    if (prompts)
        *prompts = scripted.get();
    auto window = std::make_unique<app::MainWindow>(std::move(scripted));
    window->show();
    return window;
}

app::Prompts::SaveChoice ScriptedPrompts::askSaveChanges(QWidget*, const QString&)
{
    ++saveQuestions;
    return saveChoice;
}

bool ScriptedPrompts::askRestoreRecovery(QWidget*, const QString&, const QDateTime&)
{
    ++restoreQuestions;
    return restoreRecovery;
}

void ScriptedPrompts::showLoadErrors(QWidget*, const QString& path, const QString& details)
{
    loadErrors << path + "\n" + details;
}

void ScriptedPrompts::showError(QWidget*, const QString& title, const QString& message)
{
    errors << title + ": " + message;
}

void isolateUserFolders(const QTemporaryDir& folder)
{
    qputenv("XDG_CONFIG_HOME", (folder.path() + "/config").toUtf8());
    qputenv("XDG_DATA_HOME", (folder.path() + "/data").toUtf8());
    QCoreApplication::setOrganizationName(QStringLiteral("NetdraftTests"));
    QCoreApplication::setApplicationName(QStringLiteral("NetdraftAppTests"));
}

engine::Project tinyProject(int64_t samples, int64_t epochs, int64_t batchSize)
{
    engine::Project project;
    const QString templatePath = QStringLiteral(NETDRAFT_SOURCE_DIR "/projects/classic_cnn.netdraft");
    if (QFile::exists(templatePath)) {
        project = engine::loadProjectFile(templatePath.toStdString());
    } else {
        project.name = "Tiny CNN";
        project.graph = engine::GraphBuilder()
                            .input({ 3, 32, 32 })
                            .then("Conv2d", { { "out_channels", int64_t(8) }, { "padding", int64_t(1) } }, "conv1")
                            .then("ReLU", {}, "relu1")
                            .then("MaxPool2d", {}, "pool1")
                            .then("Flatten", {}, "flatten")
                            .then("Linear", { { "out_features", int64_t(10) } }, "fc")
                            .output()
                            .graph();
    }
    project.dataset.kind = "shapes";
    project.dataset.samples = samples;
    project.training.epochs = epochs;
    project.training.batchSize = batchSize;
    project.training.device = "cpu";
    project.training.threads = 2;
    return project;
}

QString saveProject(const engine::Project& project, const QTemporaryDir& folder, const QString& name)
{
    const QString path = folder.filePath(name);
    engine::saveProjectFile(project, path.toStdString());
    return path;
}

StallProbe::StallProbe()
{
    clock_.start();
    timer_.setInterval(5);
    QObject::connect(&timer_, &QTimer::timeout, this, [this] {
        const qint64 now = clock_.elapsed();
        const qint64 late = now - last_ - timer_.interval();
        lateness_.push_back(late);
        worst_ = std::max(worst_, late);
        last_ = now;
    });
    timer_.start();
}

int StallProbe::stallsOver(qint64 milliseconds) const
{
    return int(std::count_if(
        lateness_.begin(), lateness_.end(), [milliseconds](qint64 late) { return late > milliseconds; }));
}

} // namespace netdraft::tests
