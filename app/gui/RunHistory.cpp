#include "app/gui/RunHistory.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace netdraft::app {

namespace {
constexpr qint64 kMaxHistoryBytes = 64ll * 1024 * 1024;
}

const widgets::RunRecord* RunHistory::find(int number) const
{
    for (const widgets::RunRecord& run : runs_)
        if (run.number == number)
            return &run;
    return nullptr;
}

QString RunHistory::pathFor(const QString& projectPath)
{
    if (projectPath.isEmpty())
        return {};
    const QFileInfo info(projectPath);
    return info.absolutePath() + "/" + info.completeBaseName() + ".runs.json";
}

bool RunHistory::load(const QString& projectPath, QString* error)
{
    runs_.clear();
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

bool RunHistory::save(const QString& projectPath, QString* error) const
{
    QSaveFile file(pathFor(projectPath));
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

} // namespace netdraft::app
