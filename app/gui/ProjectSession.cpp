#include "app/gui/ProjectSession.h"

#include "editor/GraphDocument.h"
#include "engine/core/Error.h"
#include "engine/import/ImportService.h"
#include "engine/io/AtomicFile.h"
#include "engine/io/ProjectFormat.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTimer>
#include <QUndoStack>

namespace netdraft::app {

ProjectSession::ProjectSession(QObject* parent)
    : QObject(parent)
    , document_(new editor::GraphDocument(this))
    , autosaveTimer_(new QTimer(this))
{
    connect(document_->undoStack(), &QUndoStack::cleanChanged, this,
        [this](bool clean) { Q_EMIT modifiedChanged(!clean); });
    autosaveTimer_->setInterval(60 * 1000);
    connect(autosaveTimer_, &QTimer::timeout, this, [this] {
        if (isModified() && writeRecovery())
            Q_EMIT autosaved(recoveryPath());
    });
    autosaveTimer_->start();
}

ProjectSession::~ProjectSession() = default;

engine::Project ProjectSession::project() const
{
    return document_->project();
}

QString ProjectSession::displayName() const
{
    return filePath_.isEmpty() ? tr("Untitled") : QFileInfo(filePath_).fileName();
}

bool ProjectSession::isModified() const
{
    return !document_->undoStack()->isClean();
}

void ProjectSession::reset(engine::Project project, const QString& filePath, bool modified)
{
    const bool wasModified = isModified();
    document_->resetProject(std::move(project));
    document_->undoStack()->clear();
    if (modified) // a restored recovery file is not what is on disk: keep the star until saved
        document_->undoStack()->resetClean();
    filePath_ = filePath;
    Q_EMIT filePathChanged(filePath_);
    Q_EMIT projectReplaced();
    if (wasModified != isModified())
        Q_EMIT modifiedChanged(isModified());
}

bool ProjectSession::open(const QString& path, QString* error)
{
    try {
        reset(engine::loadProjectFile(path.toStdString()), QFileInfo(path).absoluteFilePath());
        return true;
    } catch (const engine::ProjectLoadError& failure) {
        QStringList lines;
        for (const engine::Problem& problem : failure.problems())
            lines << QString::fromStdString(problem.toString());
        *error = lines.join('\n');
    } catch (const std::exception& failure) {
        *error = QString::fromStdString(failure.what());
    }
    return false;
}

QString ProjectSession::initialWeightsFile() const
{
    const QString named = QString::fromStdString(document_->project().initialWeights);
    if (named.isEmpty() || QFileInfo(named).isAbsolute() || filePath_.isEmpty())
        return named;
    return QFileInfo(filePath_).dir().filePath(named);
}

std::string ProjectSession::carryInitialWeights(const QString& path) const
{
    const QString source = initialWeightsFile();
    if (source.isEmpty())
        return {};
    const QString named = QString::fromStdString(document_->project().initialWeights);
    // A plain Save keeps the file the project names beside it, under its name.
    if (QFileInfo(path).absoluteFilePath() == filePath_ && QFileInfo(named).isRelative() && QFileInfo::exists(source))
        return named.toStdString();
    const QString targetIfFree = QFileInfo(path).absoluteDir().filePath(
        QString::fromStdString(engine::initialWeightsFileName(path.toStdString())));
    if (QFileInfo(source).absoluteFilePath() == targetIfFree)
        return QFileInfo(targetIfFree).fileName().toStdString();
    // Copied, not moved: the project saved before keeps its own file (an import's folder is cleaned up by
    // the window once nothing names it). Never over a file that the project replaced at `path` does not name.
    const QString name = QString::fromStdString(engine::freeWeightsFileName(path.toStdString()));
    const QString target = QFileInfo(path).absoluteDir().filePath(name);
    ND_CHECK(QFileInfo::exists(source), "the starting weights ", source.toStdString(),
        " are missing: the project cannot be saved with them");
    QFile file(source);
    ND_CHECK(file.open(QIODevice::ReadOnly), source.toStdString(), ": cannot read the starting weights");
    const QByteArray bytes = file.readAll();
    engine::writeFileAtomically(target.toStdString(), std::string_view(bytes.constData(), size_t(bytes.size())));
    return name.toStdString();
}

bool ProjectSession::save(const QString& path, QString* error)
{
    try {
        engine::Project snapshot = project();
        if (snapshot.name.empty())
            snapshot.name = QFileInfo(path).completeBaseName().toStdString();
        // The starting weights go beside the project first, as the import writes them, then the project.
        snapshot.initialWeights = carryInitialWeights(path);
        engine::saveProjectFile(snapshot, path.toStdString());
        document_->setInitialWeightsPath(snapshot.initialWeights);
    } catch (const std::exception& failure) {
        *error = QString::fromStdString(failure.what());
        return false;
    }
    removeRecovery();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (absolute != filePath_) {
        filePath_ = absolute;
        Q_EMIT filePathChanged(filePath_);
    }
    document_->undoStack()->setClean();
    return true;
}

QString ProjectSession::recoveryPathFor(const QString& projectPath)
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/recovery";
    const QString key = projectPath.isEmpty() ? QStringLiteral("untitled")
                                              : QFileInfo(projectPath).completeBaseName() + "-"
            + QCryptographicHash::hash(QFileInfo(projectPath).absoluteFilePath().toUtf8(), QCryptographicHash::Sha1)
                  .toHex()
                  .left(12);
    return folder + "/" + key + ".netdraft";
}

QString ProjectSession::recoveryPath() const
{
    return recoveryPathFor(filePath_);
}

bool ProjectSession::writeRecovery(QString* error)
{
    const QString path = recoveryPath();
    QDir().mkpath(QFileInfo(path).absolutePath());
    try {
        engine::saveProjectFile(project(), path.toStdString());
        return true;
    } catch (const std::exception& failure) {
        if (error)
            *error = QString::fromStdString(failure.what());
        return false;
    }
}

void ProjectSession::removeRecovery()
{
    QFile::remove(recoveryPath());
}

QString ProjectSession::newerRecoveryFor(const QString& projectPath)
{
    const QFileInfo recovery(recoveryPathFor(projectPath));
    if (!recovery.exists())
        return {};
    const QFileInfo project(projectPath);
    if (project.exists() && project.lastModified() >= recovery.lastModified())
        return {};
    return recovery.absoluteFilePath();
}

void ProjectSession::setAutosaveInterval(int milliseconds)
{
    autosaveTimer_->start(milliseconds);
}

} // namespace netdraft::app
