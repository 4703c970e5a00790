#pragma once
// Runs an experiment's trials as separate `netdraft-cli train` processes, P at a time, and keeps the
// results table (and DIR/results.csv) up to date. A crash or out-of-memory of one trial is recorded as
// failed and leaves the others running. Reports through callbacks on the thread that calls run();
// requestStop() and requestKill() may be called from any thread or a signal handler.

#include "engine/experiment/ExperimentTrials.h"
#include "engine/experiment/MedianStoppingRule.h"
#include "engine/experiment/TrialResult.h"

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace netdraft::engine {

struct SweepOptions {
    std::string executable; ///< netdraft-cli
    std::string projectDirectory; ///< the base project's folder: relative dataset paths are resolved against it
    std::string outputDirectory; ///< receives trial-K/ and results.csv
    int parallel = 1; ///< trials at once
    /// CPU threads per trial (`train --threads`); 0: the project's own setting, or, when that is 0 too,
    /// the machine's cores divided by `parallel`.
    int64_t threadsPerTrial = 0;
    MedianStoppingRule pruning; ///< off unless afterEpochs > 0
};

struct SweepCallbacks {
    std::function<void(const TrialRow&, int processId)> onStarted;
    std::function<void(const TrialRow&)> onFinished;
};

class SweepRunner {
public:
    SweepRunner(std::vector<Trial> trials, std::vector<std::string> keys, SweepOptions options);

    void setCallbacks(SweepCallbacks callbacks) { callbacks_ = std::move(callbacks); }
    /// DIR/trial-K/project.netdraft for every trial: the exact project it trains.
    static std::string trialDirectory(const std::string& outputDirectory, int number);

    /// Writes each trial's folder and project, runs the trials and writes results.csv whenever a
    /// trial ends and at the end; blocks until every trial ended or the sweep was stopped. Throws
    /// Error when the folders cannot be written.
    void run();
    /// Stops cleanly: running trials are interrupted (they stop after their batch and write what they
    /// have), no new trial starts, the rest are recorded as cancelled.
    void requestStop() { stopRequested_ = true; }
    /// Kills running trials (after requestStop(), when they take too long to stop).
    void requestKill() { killRequested_ = true; }
    bool stopping() const { return stopRequested_; }

    const ResultsTable& table() const { return table_; }
    /// Trials that ended (any status but pending and running).
    int finished() const;
    /// Seconds until the last trial ends at the pace so far; nullopt before a trial ended.
    std::optional<double> secondsLeft() const;

private:
    struct Running;
    void prepare();
    void startTrial(size_t index, std::vector<Running>& running);
    void finishTrial(Running& trial);
    void pruneHopeless(std::vector<Running>& running);
    void writeResults() const;

    std::vector<Trial> trials_;
    SweepOptions options_;
    SweepCallbacks callbacks_;
    ResultsTable table_;
    std::vector<double> finishedSeconds_;
    std::atomic<bool> stopRequested_{ false };
    std::atomic<bool> killRequested_{ false };
};

} // namespace netdraft::engine
