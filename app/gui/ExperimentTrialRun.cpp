#include "app/gui/ExperimentTrialRun.h"

#include "engine/io/ProjectFormat.h"
#include "engine/train/GraphFingerprint.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <map>

namespace netdraft::app {

namespace {

std::optional<double> optionalNumber(const QJsonValue& value)
{
    return value.isDouble() ? std::optional<double>(value.toDouble()) : std::nullopt;
}

void readCurves(const QString& metricsPath, widgets::RunRecord& record)
{
    QFile file(metricsPath);
    if (!file.open(QIODevice::ReadOnly))
        return;
    struct Batch {
        int64_t epoch;
        int64_t batch;
        double loss;
    };
    std::vector<Batch> batches;
    std::map<int64_t, int64_t> batchesPerEpoch; // the last batch logged in each epoch
    while (!file.atEnd()) {
        const QJsonObject line = QJsonDocument::fromJson(file.readLine()).object();
        const QString type = line["type"].toString();
        if (type == QLatin1String("batch")) {
            const Batch batch { line["epoch"].toInteger(), line["batch"].toInteger(), line["loss"].toDouble() };
            batches.push_back(batch);
            batchesPerEpoch[batch.epoch] = std::max(batchesPerEpoch[batch.epoch], batch.batch);
        } else if (type == QLatin1String("epoch")) {
            const double x = line["epoch"].toDouble();
            record.trainLoss.append({ x, line["train_loss"].toDouble() });
            if (const auto value = optionalNumber(line["train_accuracy"]))
                record.trainAccuracy.append({ x, *value });
            if (const auto value = optionalNumber(line["val_loss"]))
                record.validationLoss.append({ x, *value });
            if (const auto value = optionalNumber(line["val_accuracy"]))
                record.validationAccuracy.append({ x, *value });
        }
    }
    for (const Batch& batch : batches) {
        const double perEpoch = double(std::max<int64_t>(1, batchesPerEpoch[batch.epoch]));
        record.batchLoss.append({ double(batch.epoch - 1) + double(batch.batch) / perEpoch, batch.loss });
    }
}

} // namespace

widgets::RunRecord trialRunRecord(const QString& trialFolder, const engine::TrialRow& row, int number)
{
    widgets::RunRecord record;
    record.number = number;
    const QFileInfo metrics(trialFolder + "/metrics.jsonl");
    record.finished = metrics.exists() ? metrics.lastModified() : QDateTime::currentDateTime();
    record.started = record.finished.addMSecs(-qint64(row.seconds * 1000.0));
    const engine::TrainingRunRecord run = engine::readTrainingRun(metrics.filePath().toStdString());
    record.stopReason = run.finished ? QString::fromStdString(run.stopReason) : QStringLiteral("failed");
    const QString trial = QObject::tr("Experiment trial %1 (%2)")
                              .arg(row.number)
                              .arg(QFileInfo(QFileInfo(trialFolder).absolutePath()).fileName());
    const QString message = QString::fromStdString(row.message.empty() ? run.message : row.message);
    record.message = message.isEmpty() ? trial : trial + ": " + message;
    record.epochsCompleted = int(run.epochsCompleted);
    record.testLoss = run.testLoss;
    record.testAccuracy = run.testAccuracy;
    try {
        const engine::Project project = engine::loadProjectFile((trialFolder + "/project.netdraft").toStdString());
        record.graphHash = QString::fromStdString(engine::graphFingerprint(project.graph));
        const QJsonObject settings
            = QJsonDocument::fromJson(QByteArray::fromStdString(engine::serializeSettings(project))).object();
        record.settings = settings;
    } catch (const std::exception&) {
        // A trial folder without its project: the run keeps its figures.
    }
    readCurves(metrics.filePath(), record);
    return record;
}

bool copyTrialFiles(const QString& trialFolder, const QString& runFolder, QString* error)
{
    if (!QDir().mkpath(runFolder)) {
        *error = QObject::tr("Could not create %1").arg(runFolder);
        return false;
    }
    for (const char* name : { "checkpoint.pt", "weights.pt", "project.netdraft", "metrics.jsonl" }) {
        const QString from = trialFolder + "/" + name;
        const QString to = runFolder + "/" + name;
        if (!QFile::exists(from))
            continue;
        QFile::remove(to);
        if (!QFile::copy(from, to)) {
            *error = QObject::tr("Could not copy %1 to %2").arg(from, to);
            return false;
        }
    }
    return true;
}

} // namespace netdraft::app
