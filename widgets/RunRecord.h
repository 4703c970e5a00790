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
    /// For stopReason "nan": the block of the project graph the failing batch's checks named (the
    /// composite instance for an inner block), the block as the network ran it ("enc1__conv") and what
    /// happened there ("output became NaN in forward; its input ranged …"); empty when none was found.
    QString nonFiniteBlock;
    QString nonFiniteRunBlock;
    QString nonFiniteDetail;

    QJsonObject toJson() const;
    /// Reads what toJson() wrote; missing members keep their defaults.
    static RunRecord fromJson(const QJsonObject& json);
};

} // namespace netdraft::widgets

Q_DECLARE_METATYPE(netdraft::widgets::RunRecord)
