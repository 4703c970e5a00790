#include "widgets/RunRecord.h"

#include <QJsonArray>

#include <cmath>

namespace netdraft::widgets {

namespace {

QJsonArray pointsToJson(const QVector<QPointF>& points)
{
    QJsonArray array;
    for (const QPointF& point : points)
        array.append(QJsonArray { point.x(), point.y() });
    return array;
}

QVector<QPointF> pointsFromJson(const QJsonValue& value)
{
    QVector<QPointF> points;
    for (const QJsonValue& item : value.toArray()) {
        const QJsonArray pair = item.toArray();
        if (pair.size() == 2)
            points.append({ pair[0].toDouble(), pair[1].toDouble() });
    }
    return points;
}

QJsonValue optionalToJson(std::optional<double> value)
{
    return value && std::isfinite(*value) ? QJsonValue(*value) : QJsonValue();
}

std::optional<double> optionalFromJson(const QJsonValue& value)
{
    return value.isDouble() ? std::optional<double>(value.toDouble()) : std::nullopt;
}

} // namespace

QJsonObject RunRecord::toJson() const
{
    QJsonArray matrix;
    for (const auto& row : confusionMatrix) {
        QJsonArray cells;
        for (int64_t count : row)
            cells.append(double(count));
        matrix.append(cells);
    }
    QJsonArray perClass;
    for (double accuracy : perClassAccuracy)
        perClass.append(optionalToJson(accuracy)); // NaN (no samples) becomes null
    return QJsonObject {
        { "number", number },
        { "started", started.toString(Qt::ISODateWithMs) },
        { "finished", finished.toString(Qt::ISODateWithMs) },
        { "graph_hash", graphHash },
        { "settings", settings },
        { "stop_reason", stopReason },
        { "message", message },
        { "epochs_completed", epochsCompleted },
        { "test_loss", optionalToJson(testLoss) },
        { "test_accuracy", optionalToJson(testAccuracy) },
        { "batch_loss", pointsToJson(batchLoss) },
        { "train_loss", pointsToJson(trainLoss) },
        { "validation_loss", pointsToJson(validationLoss) },
        { "train_accuracy", pointsToJson(trainAccuracy) },
        { "validation_accuracy", pointsToJson(validationAccuracy) },
        { "confusion_matrix", matrix },
        { "per_class_accuracy", perClass },
        { "class_names", QJsonArray::fromStringList(classNames) },
        { "nonfinite_block", nonFiniteBlock.isEmpty() ? QJsonValue() : QJsonValue(nonFiniteBlock) },
        { "nonfinite_run_block", nonFiniteRunBlock.isEmpty() ? QJsonValue() : QJsonValue(nonFiniteRunBlock) },
        { "nonfinite_detail", nonFiniteDetail.isEmpty() ? QJsonValue() : QJsonValue(nonFiniteDetail) },
    };
}

RunRecord RunRecord::fromJson(const QJsonObject& json)
{
    RunRecord record;
    record.number = json["number"].toInt();
    record.started = QDateTime::fromString(json["started"].toString(), Qt::ISODateWithMs);
    record.finished = QDateTime::fromString(json["finished"].toString(), Qt::ISODateWithMs);
    record.graphHash = json["graph_hash"].toString();
    record.settings = json["settings"].toObject();
    record.stopReason = json["stop_reason"].toString();
    record.message = json["message"].toString();
    record.epochsCompleted = json["epochs_completed"].toInt();
    record.testLoss = optionalFromJson(json["test_loss"]);
    record.testAccuracy = optionalFromJson(json["test_accuracy"]);
    record.batchLoss = pointsFromJson(json["batch_loss"]);
    record.trainLoss = pointsFromJson(json["train_loss"]);
    record.validationLoss = pointsFromJson(json["validation_loss"]);
    record.trainAccuracy = pointsFromJson(json["train_accuracy"]);
    record.validationAccuracy = pointsFromJson(json["validation_accuracy"]);
    for (const QJsonValue& row : json["confusion_matrix"].toArray()) {
        std::vector<int64_t> cells;
        for (const QJsonValue& cell : row.toArray())
            cells.push_back(static_cast<int64_t>(cell.toDouble()));
        record.confusionMatrix.push_back(std::move(cells));
    }
    for (const QJsonValue& value : json["per_class_accuracy"].toArray())
        record.perClassAccuracy.push_back(value.isDouble() ? value.toDouble() : std::nan(""));
    for (const QJsonValue& name : json["class_names"].toArray())
        record.classNames << name.toString();
    record.nonFiniteBlock = json["nonfinite_block"].toString();
    record.nonFiniteRunBlock = json["nonfinite_run_block"].toString();
    record.nonFiniteDetail = json["nonfinite_detail"].toString();
    return record;
}

} // namespace netdraft::widgets
