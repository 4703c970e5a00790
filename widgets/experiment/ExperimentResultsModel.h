#pragma once
// The experiment's results table for views: one row per trial (varied values, status with the epoch a
// running trial is at, best validation figures, test figures, parameters, multiply-accumulates, time,
// message). Qt::DisplayRole is the text shown, Qt::UserRole the value to sort by (numbers as numbers;
// a missing figure sorts below every number).

#include "engine/experiment/TrialResult.h"

#include <QAbstractTableModel>

#include <map>
#include <optional>

namespace netdraft::widgets {

class ExperimentResultsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    /// The columns after the varied keys.
    enum Figure {
        Status,
        BestValidationAccuracy,
        BestValidationLoss,
        TestAccuracy,
        TestLoss,
        Parameters,
        MultiplyAccumulates,
        Epochs,
        Seconds,
        Message,
        FigureCount
    };

    explicit ExperimentResultsModel(QObject* parent = nullptr);

    /// Replaces the whole table (a new sweep, a folder opened).
    void setTable(const engine::ResultsTable& table);
    const engine::ResultsTable& table() const { return table_; }
    /// Updates one trial's row (or adds it when the table has no row of its number).
    void updateRow(const engine::TrialRow& row);
    /// A running trial's progress: `done` of `total` epochs.
    void setProgress(int trial, int64_t done, int64_t total);
    /// Trial `trial`'s multiply-accumulates per sample (nullopt: unknown).
    void setMultiplyAccumulates(int trial, std::optional<int64_t> count);
    std::optional<int64_t> multiplyAccumulates(int trial) const;
    /// The column of a figure (after the key columns) and the trial of a row.
    int column(Figure figure) const { return 1 + int(table_.keys.size()) + int(figure); }
    int trialAt(int row) const;
    int rowOf(int trial) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// "87.5 %", "0.412", "1.27 k", "–": how the table writes figures (the plots' labels use it too).
    static QString percent(const std::optional<double>& value);
    static QString count(const std::optional<int64_t>& value);

private:
    QVariant display(const engine::TrialRow& row, int column) const;
    QVariant sortValue(const engine::TrialRow& row, int column) const;

    engine::ResultsTable table_;
    std::map<int, std::optional<int64_t>> multiplyAccumulates_;
    std::map<int, std::pair<int64_t, int64_t>> progress_;
};

} // namespace netdraft::widgets
