#include "app/gui/RunHistory.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUuid>

namespace netdraft::app {

namespace {

constexpr qint64 kMaxHistoryBytes = 64ll * 1024 * 1024;

QString freshUntitledFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + QStringLiteral("/runs/untitled-%1-%2")
              .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")),
                  QUuid::createUuid().toString(QUuid::Id128).left(8));
}

/// Copies the folder `from` with everything in it to `to`, which must not exist yet.
bool copyFolder(const QString& from, const QString& to, QString* error)
{
    if (!QDir().mkpath(to)) {
        *error = QObject::tr("Could not create %1").arg(to);
        return false;
    }
    const QDir source(from);
    QDirIterator entries(
        from, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDirIterator::Subdirectories);
    while (entries.hasNext()) {
        const QFileInfo entry(entries.next());
        const QString target = to + "/" + source.relativeFilePath(entry.absoluteFilePath());
        const bool copied = entry.isDir() ? QDir().mkpath(target) : QFile::copy(entry.absoluteFilePath(), target);
        if (!copied) {
            *error = QObject::tr("Could not copy %1 to %2").arg(entry.absoluteFilePath(), target);
            return false;
        }
    }
    return true;
}

/// Moves or copies the folder `from` to `to`, replacing a folder already there (a run folder of a
/// project that was saved over: its history is replaced too).
bool transferFolder(const QString& from, const QString& to, bool move, QString* error)
{
    if (QFileInfo(from).absoluteFilePath() == QFileInfo(to).absoluteFilePath())
        return true;
    if (QFileInfo::exists(to) && !QDir(to).removeRecursively()) {
        *error = QObject::tr("Could not replace %1").arg(to);
        return false;
    }
    QDir().mkpath(QFileInfo(to).absolutePath());
    if (move && QDir().rename(from, to))
        return true;
    // Another file system (app data on one disk, the project on another), or a copy on purpose.
    if (!copyFolder(from, to, error))
        return false;
    if (move)
        QDir(from).removeRecursively();
    return true;
}

} // namespace

RunHistory::RunHistory()
    : untitledFolder_(freshUntitledFolder())
{
}

const widgets::RunRecord* RunHistory::find(int number) const
{
    for (const widgets::RunRecord& run : runs_)
        if (run.number == number)
            return &run;
    return nullptr;
}

QString RunHistory::folder(int number) const
{
    const QString base = projectPath_.isEmpty() ? untitledFolder_ : runsFolderFor(projectPath_);
    return QStringLiteral("%1/run-%2").arg(base).arg(number);
}

QString RunHistory::weightsPath(int number) const
{
    return folder(number) + QStringLiteral("/weights.pt");
}

QString RunHistory::snapshotPath(int number) const
{
    return folder(number) + QStringLiteral("/project.netdraft");
}

QString RunHistory::whyNoWeights(int number) const
{
    if (QFileInfo::exists(weightsPath(number)))
        return {};
    const widgets::RunRecord* run = find(number);
    if (run && run->epochsCompleted == 0)
        return QObject::tr("Run %1 kept no weights: it ended before its first epoch (%2).")
            .arg(number)
            .arg(run->stopReason);
    return QObject::tr("Run %1 kept no weights: %2 is missing.").arg(number).arg(weightsPath(number));
}

void RunHistory::startUntitled(bool discardPrevious)
{
    if (discardPrevious && projectPath_.isEmpty() && !untitledFolder_.isEmpty())
        QDir(untitledFolder_).removeRecursively();
    projectPath_.clear();
    untitledFolder_ = freshUntitledFolder();
    runs_.clear();
}

QString RunHistory::pathFor(const QString& projectPath)
{
    if (projectPath.isEmpty())
        return {};
    const QFileInfo info(projectPath);
    return info.absolutePath() + "/" + info.completeBaseName() + ".runs.json";
}

QString RunHistory::runsFolderFor(const QString& projectPath)
{
    const QFileInfo info(projectPath);
    return info.absolutePath() + "/" + info.completeBaseName() + ".runs";
}

bool RunHistory::load(const QString& projectPath, QString* error)
{
    runs_.clear();
    projectPath_ = QFileInfo(projectPath).absoluteFilePath();
    untitledFolder_.clear();
    QFile file(pathFor(projectPath));
    if (!file.exists())
        return true;
    if (file.size() > kMaxHistoryBytes) {
        *error = QObject::tr("%1 is larger than %2 bytes").arg(file.fileName()).arg(kMaxHistoryBytes);
        return false;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QObject::tr("Could not read %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument json = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !json.isObject()) {
        *error = QObject::tr("%1: not a run history (byte %2: %3)")
                     .arg(file.fileName())
                     .arg(parseError.offset)
                     .arg(parseError.errorString());
        return false;
    }
    for (const QJsonValue& run : json.object()["runs"].toArray())
        runs_.push_back(widgets::RunRecord::fromJson(run.toObject()));
    return true;
}

bool RunHistory::saveAs(const QString& projectPath, int stillWriting, QString* error)
{
    const QString target = QFileInfo(projectPath).absoluteFilePath();
    if (target != projectPath_) {
        const bool move = projectPath_.isEmpty(); // another saved project keeps its runs
        QStringList failures;
        for (const widgets::RunRecord& run : runs_) {
            const QString from = folder(run.number);
            if (run.number == stillWriting || !QFileInfo::exists(from))
                continue;
            QString failure;
            if (!transferFolder(
                    from, runsFolderFor(target) + QStringLiteral("/run-%1").arg(run.number), move, &failure))
                failures << failure;
        }
        if (move && failures.isEmpty() && stillWriting == 0)
            QDir(untitledFolder_).removeRecursively();
        projectPath_ = target;
        untitledFolder_.clear();
        if (!failures.isEmpty()) {
            *error = failures.join('\n');
            save(error); // the history still belongs to the project
            return false;
        }
    }
    return save(error);
}

bool RunHistory::save(QString* error) const
{
    if (projectPath_.isEmpty() || (runs_.empty() && !QFileInfo::exists(pathFor(projectPath_))))
        return true;
    QSaveFile file(pathFor(projectPath_));
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QObject::tr("Could not write %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    QJsonArray runs;
    for (const widgets::RunRecord& run : runs_)
        runs.append(run.toJson());
    file.write(
        QJsonDocument(QJsonObject { { "format", "netdraft-runs" }, { "version", 1 }, { "runs", runs } }).toJson());
    if (!file.commit()) {
        *error = QObject::tr("Could not write %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    return true;
}

bool RunHistory::adopt(int number, const QString& from, QString* error) const
{
    if (!QFileInfo::exists(from))
        return true;
    return transferFolder(from, folder(number), true, error);
}

} // namespace netdraft::app
