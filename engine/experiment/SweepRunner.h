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
    /// One sample's multiply-accumulates of a trial's project (nullopt: design errors), for the macs
    /// column; the caller passes the engine's cost analysis, which sits beside this folder. Unset: empty.
    std::function<std::optional<int64_t>(const Project&)> multiplyAccumulates;
};

struct SweepCallbacks {
    std::function<void(const TrialRow&, int processId)> onStarted;
    std::function<void(const TrialRow&)> onFinished;
};

class SweepRunner {
public:
    SweepRunner(std::vector<Trial> trials, std::vector<std::string> keys, SweepOptions options);
    ~SweepRunner();
    SweepRunner(const SweepRunner&) = delete;
    SweepRunner& operator=(const SweepRunner&) = delete;

    void setCallbacks(SweepCallbacks callbacks) { callbacks_ = std::move(callbacks); }
    /// DIR/trial-K/project.netdraft for every trial: the exact project it trains.
    static std::string trialDirectory(const std::string& outputDirectory, int number);

    /// Writes each trial's folder and project, runs the trials and writes results.csv whenever a
    /// trial ends and at the end; blocks until every trial ended or the sweep was stopped. Throws
    /// Error when the folders cannot be written.
    void run();
    /// run() in steps, for an event loop (the desktop app): begin() writes the folders, each advance()
    /// starts, polls and prunes trials once and returns false when every trial ended or the sweep was
    /// stopped (the table is then final). Call advance() every few tens of milliseconds.
    void begin();
    bool advance();
    /// While paused no trial starts; running trials go on.
    void setPaused(bool paused) { paused_ = paused; }
    bool paused() const { return paused_; }
    /// Queues more trials after the others (numbered on from the last, their folders written now);
    /// their values must use the table's keys. After advance() returned false, advance() runs them; a
    /// stopped sweep with nothing running goes on (the trials it cancelled stay cancelled).
    /// Throws Error for a key the table does not have.
    void addTrials(std::vector<Trial> trials);
    /// Trial `number`'s project as it was queued.
    const Trial& trial(int number) const;
    const SweepOptions& options() const { return options_; }
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
    void prepareTrial(size_t index);
    TrialRow rowFor(const Trial& trial) const;
    void startTrial(size_t index, std::vector<Running>& running);
    void finishTrial(Running& trial);
    void pruneHopeless(std::vector<Running>& running);
    void writeResults() const;

    std::vector<Trial> trials_;
    SweepOptions options_;
    SweepCallbacks callbacks_;
    ResultsTable table_;
    std::vector<double> finishedSeconds_;
    std::atomic<bool> stopRequested_ { false };
    std::atomic<bool> killRequested_ { false };
    std::atomic<bool> paused_ { false };
    std::vector<Running> running_;
    size_t next_ = 0;
    bool interrupted_ = false;
    bool killed_ = false;
};

} // namespace netdraft::engine
