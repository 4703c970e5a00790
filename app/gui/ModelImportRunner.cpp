#include "app/gui/ModelImportRunner.h"

#include "app/gui/ImportsFolder.h"
#include "widgets/BackgroundTask.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QThread>

#include <utility>

namespace netdraft::app {

ModelImportRunner::ModelImportRunner(QObject* parent)
    : QObject(parent)
{
}

ModelImportRunner::~ModelImportRunner()
{
    wait();
    delete thread_;
    delete finishing_;
    // The window is going: what its imports wrote is needed only where a recovery file names it.
    if (!runningFolder_.isEmpty())
        folders_ << runningFolder_;
    removeUnusedFolders({});
}

void ModelImportRunner::removeUnusedFolders(const QStringList& inUse)
{
    if (folders_.isEmpty())
        return;
    folders_.removeIf(
        [&](const QString& folder) { return importsFolder::removeIfUnused(importsFolder(), folder, inUse); });
}

QString ModelImportRunner::importsFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/imports");
}

std::optional<std::vector<int64_t>> ModelImportRunner::parseShape(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return std::vector<int64_t> {};
    std::vector<int64_t> shape;
    for (const QString& part : trimmed.split(QRegularExpression(QStringLiteral("\\s*[,x×]\\s*")))) {
        bool ok = false;
        const qlonglong size = part.toLongLong(&ok);
        if (!ok || size < 1)
            return std::nullopt;
        shape.push_back(size);
    }
    return shape;
}

bool ModelImportRunner::start(
    const QString& modelPath, std::vector<int64_t> inputShape, bool keepUnsupported, bool restoreProject)
{
    if (thread_)
        return false;
    engine::ImportRequest request;
    request.modelPath = QFileInfo(modelPath).absoluteFilePath().toStdString();
    request.inputShape = std::move(inputShape);
    request.keepUnsupported = keepUnsupported;
    request.restoreProject = restoreProject;
    // The engine writes the weights beside a project file; the project itself stays untitled in the
    // window. One folder per import, so that two imports of the same file do not share weights.
    const QString stem = QFileInfo(modelPath).completeBaseName();
    const QString folder = importsFolder() + "/" + stem + "-"
        + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    request.projectPath = QDir(folder).filePath(stem + QStringLiteral(".netdraft")).toStdString();
    report_.reset();
    runningFolder_ = folder;
    thread_ = widgets::makeBackgroundTask<engine::ImportReport>(
        this, [request = std::move(request)] { return engine::importModel(request); },
        [this, stem](std::optional<engine::ImportReport> report, const QString& failure) {
            // The work is done: a handler of finished() may start the next import (asked again for the
            // input shape). The thread itself ends a moment later and deletes itself.
            finishing_ = thread_;
            thread_ = nullptr;
            const QString folder = std::exchange(runningFolder_, QString());
            Q_EMIT runningChanged(false);
            // A failed import names nothing it may have written; a successful one is named by the window's
            // project once it takes it, and removed as soon as nothing does.
            if (report || !importsFolder::removeIfUnused(importsFolder(), folder, {}))
                folders_ << folder;
            if (!report) {
                Q_EMIT finished(false, failure);
                return;
            }
            // Untitled: name the weights by absolute path until a save puts them beside the project.
            report->project.initialWeights = report->weightsPath;
            if (!report->restoredProject) // a Netdraft export keeps its project's name
                report->project.name = stem.toStdString();
            report_ = std::move(report);
            Q_EMIT finished(true, QString());
        });
    thread_->start();
    Q_EMIT runningChanged(true);
    return true;
}

void ModelImportRunner::wait()
{
    if (thread_)
        thread_->wait();
    if (finishing_)
        finishing_->wait();
}

} // namespace netdraft::app
