#pragma once
// What one finished trial produced, read back from the files `netdraft-cli train --out DIR` wrote
// (DIR/metrics.jsonl: one "epoch" line per epoch and a "result" line at the end), and its row in
// the experiment's results table. LibTorch-free, so the app can read a sweep folder.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace netdraft::engine {

/// The validation figures of one epoch (counted from 1).
struct EpochFigures {
    int64_t epoch = 0;
    double trainLoss = 0.0;
    std::optional<double> validationLoss;
    std::optional<double> validationAccuracy;
};

/// A run's metrics.jsonl, read back. `finished` is false when it has no "result" line (the process
/// died, or has not finished yet).
struct TrainingRunRecord {
    bool finished = false;
    std::string stopReason; ///< completed, early_stopping, stopped, nan, failed
    std::string message;
    int64_t epochsCompleted = 0;
    int64_t bestEpoch = 0; ///< 0 = none
    std::optional<double> testLoss;
    std::optional<double> testAccuracy;
    std::optional<double> testMeanAbsoluteError;
    std::vector<EpochFigures> epochs;

    /// The figures of the best epoch, if it was logged.
    const EpochFigures* best() const;
};

/// Reads DIR/metrics.jsonl as written by `netdraft-cli train`; lines that do not parse (a line cut
/// short by a killed process) are skipped. A missing file reads as an unfinished, empty record.
TrainingRunRecord readTrainingRun(const std::string& metricsPath);

/// How a trial ended.
enum class TrialStatus {
    Pending, ///< not started (yet)
    Running,
    Completed, ///< trained to the end, or stopped early by the project's early stopping
    Stopped, ///< stopped by the user (Ctrl+C); its figures are those of the epochs it finished
    Pruned, ///< stopped by the median stopping rule
    Failed, ///< the process failed, crashed or was killed, or training diverged
    Cancelled, ///< never started: the sweep was stopped first
};

const char* trialStatusName(TrialStatus status);
/// The status named `name` (as trialStatusName writes it); throws Error for an unknown name.
TrialStatus parseTrialStatus(const std::string& name);

/// One row of the results table.
struct TrialRow {
    int number = 0;
    std::vector<std::string> values; ///< the varied values' texts, in the table's key order
    TrialStatus status = TrialStatus::Pending;
    int64_t epochs = 0; ///< epochs completed
    int64_t bestEpoch = 0;
    std::optional<double> bestValidationLoss; ///< at the best epoch
    std::optional<double> bestValidationAccuracy; ///< at the best epoch
    std::optional<double> testLoss;
    std::optional<double> testAccuracy;
    std::optional<int64_t> parameters;
    /// One sample's multiply-accumulates of the trial's network (`netdraft-cli summary`'s total_macs).
    std::optional<int64_t> multiplyAccumulates;
    double seconds = 0.0; ///< wall time of the trial's process
    std::string message; ///< why it failed or stopped; empty when completed

    /// Fills the figures from a run's record.
    void takeFigures(const TrainingRunRecord& record);
};

/// The whole table: the varied keys (columns) and one row per trial.
struct ResultsTable {
    std::vector<std::string> keys;
    std::vector<TrialRow> rows;
};

/// results.csv: trial, the varied keys, status, epochs, best_epoch, best_val_loss, best_val_accuracy,
/// test_loss, test_accuracy, parameters, macs, seconds, message (RFC 4180 quoting; empty = no value).
std::string resultsCsv(const ResultsTable& table);
/// Reads resultsCsv()'s text back, and older files without the macs column; throws Error naming the
/// line and what was expected.
ResultsTable parseResultsCsv(const std::string& text);

} // namespace netdraft::engine
