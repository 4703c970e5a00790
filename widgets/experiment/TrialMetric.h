#pragma once
// Which figure the experiment's plots rank trials by: the best validation accuracy when the trials
// logged one (classification), else the best validation loss (lower is better).

#include "engine/experiment/TrialResult.h"

#include <QString>

#include <optional>

namespace netdraft::widgets {

struct TrialMetric {
    bool accuracy = true; ///< best validation accuracy (higher is better); false: best validation loss

    /// The metric the table's trials have: accuracy when any row has one.
    static TrialMetric of(const engine::ResultsTable& table)
    {
        for (const auto& row : table.rows)
            if (row.bestValidationAccuracy)
                return { true };
        return { false };
    }
    bool higherIsBetter() const { return accuracy; }
    std::optional<double> value(const engine::TrialRow& row) const
    {
        return accuracy ? row.bestValidationAccuracy : row.bestValidationLoss;
    }
    QString name() const { return accuracy ? QStringLiteral("best val. accuracy") : QStringLiteral("best val. loss"); }
    QString format(double value) const
    {
        return accuracy ? QString::number(value * 100.0, 'f', 1) + QStringLiteral(" %")
                        : QString::number(value, 'g', 4);
    }
};

} // namespace netdraft::widgets
