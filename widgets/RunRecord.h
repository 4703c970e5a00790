#pragma once
// What is remembered of one training run: when, on which design and settings, how it ended and its
// curves. Stored as JSON in the run history.

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QPointF>
#include <QStringList>
#include <QVector>

#include <cstdint>
#include <optional>
#include <vector>

namespace netdraft::widgets {

struct RunRecord {
    int number = 0; ///< 1, 2, ... within the project
    QDateTime started;
    QDateTime finished;
    QString graphHash; ///< the engine's graph fingerprint of the trained snapshot
    QJsonObject settings; ///< {"dataset": {...}, "training": {...}} as in the project file
    QString stopReason; ///< completed, early_stopping, stopped, nan, failed
    QString message;
    int epochsCompleted = 0;
    std::optional<double> testLoss;
    std::optional<double> testAccuracy;
    QVector<QPointF> batchLoss; ///< (epoch position, loss)
    QVector<QPointF> trainLoss; ///< per epoch
    QVector<QPointF> validationLoss;
    QVector<QPointF> trainAccuracy;
    QVector<QPointF> validationAccuracy;
    std::vector<std::vector<int64_t>> confusionMatrix;
    std::vector<double> perClassAccuracy;
    QStringList classNames;

    QJsonObject toJson() const;
    /// Reads what toJson() wrote; missing members keep their defaults.
    static RunRecord fromJson(const QJsonObject& json);
};

} // namespace netdraft::widgets

Q_DECLARE_METATYPE(netdraft::widgets::RunRecord)
