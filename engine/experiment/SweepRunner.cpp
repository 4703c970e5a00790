#include "engine/experiment/SweepRunner.h"

#include "engine/core/Error.h"
#include "engine/experiment/TrialProcess.h"
#include "engine/io/AtomicFile.h"
#include "engine/io/ProjectFormat.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <numeric>
#include <sstream>
#include <thread>

namespace netdraft::engine {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct SweepRunner::Running {
    size_t index = 0;
    std::unique_ptr<TrialProcess> process;
    Clock::time_point started;
    bool pruned = false;
    bool killed = false;
    std::string pruneMessage;
    std::uintmax_t metricsSize = 0;
    std::vector<EpochFigures> epochs;
};

namespace {

/// The first "error: …" line of a trial's log, without the prefix; empty when there is none.
std::string firstErrorLine(const fs::path& logPath)
{
    std::ifstream in(logPath);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("error: ", 0) == 0)
            return line.substr(7);
    return {};
}

std::string prunedValueText(double value)
{
    std::ostringstream out;
    out << std::setprecision(4) << value;
    return out.str();
}

} // namespace

SweepRunner::SweepRunner(std::vector<Trial> trials, std::vector<std::string> keys, SweepOptions options)
    : trials_(std::move(trials))
    , options_(std::move(options))
{
    options_.parallel = std::max(1, options_.parallel);
    table_.keys = std::move(keys);
    for (const auto& trial : trials_)
        table_.rows.push_back(rowFor(trial));
}

SweepRunner::~SweepRunner() = default;

TrialRow SweepRunner::rowFor(const Trial& trial) const
{
    TrialRow row;
    row.number = trial.number;
    for (const auto& key : table_.keys) {
        const auto it = std::find_if(trial.values.begin(), trial.values.end(),
            [&](const Assignment& assignment) { return assignment.key.text() == key; });
        row.values.push_back(it == trial.values.end() ? std::string() : it->value.text);
    }
    return row;
}

const Trial& SweepRunner::trial(int number) const
{
    const auto it
        = std::find_if(trials_.begin(), trials_.end(), [&](const Trial& trial) { return trial.number == number; });
    ND_CHECK(it != trials_.end(), "the sweep has no trial ", number);
    return *it;
}

void SweepRunner::addTrials(std::vector<Trial> trials)
{
    for (const auto& trial : trials)
        for (const auto& assignment : trial.values)
            ND_CHECK(std::find(table_.keys.begin(), table_.keys.end(), assignment.key.text()) != table_.keys.end(),
                "cannot add a trial that varies '", assignment.key.text(), "': this sweep varies only ", [&] {
                    std::string keys;
                    for (const auto& key : table_.keys)
                        keys += (keys.empty() ? "" : ", ") + key;
                    return keys;
                }());
    if (running_.empty() && stopRequested_) { // a stopped sweep goes on with the new trials
        stopRequested_ = false;
        killRequested_ = false;
        interrupted_ = false;
        killed_ = false;
    }
    for (auto& trial : trials) {
        trial.number = trials_.empty() ? 1 : trials_.back().number + 1;
        table_.rows.push_back(rowFor(trial));
        trials_.push_back(std::move(trial));
        prepareTrial(trials_.size() - 1);
    }
    writeResults();
}

std::string SweepRunner::trialDirectory(const std::string& outputDirectory, int number)
{
    return (fs::path(outputDirectory) / ("trial-" + std::to_string(number))).string();
}

int SweepRunner::finished() const
{
    return static_cast<int>(std::count_if(table_.rows.begin(), table_.rows.end(),
        [](const TrialRow& row) { return row.status != TrialStatus::Pending && row.status != TrialStatus::Running; }));
}

std::optional<double> SweepRunner::secondsLeft() const
{
    if (finishedSeconds_.empty())
        return std::nullopt;
    const double mean = std::accumulate(finishedSeconds_.begin(), finishedSeconds_.end(), 0.0)
        / static_cast<double>(finishedSeconds_.size());
    const auto left = std::count_if(table_.rows.begin(), table_.rows.end(),
        [](const TrialRow& row) { return row.status == TrialStatus::Pending || row.status == TrialStatus::Running; });
    return mean * static_cast<double>(left) / options_.parallel;
}

void SweepRunner::prepare()
{
    fs::create_directories(options_.outputDirectory);
    for (size_t index = 0; index < trials_.size(); ++index)
        prepareTrial(index);
    writeResults();
}

void SweepRunner::prepareTrial(size_t index)
{
    Trial& trial = trials_[index];
    // The trial's project lives in another folder: a dataset path relative to the base project
    // would no longer point at the data.
    DatasetSpec& dataset = trial.project.dataset;
    if (!dataset.path.empty() && fs::path(dataset.path).is_relative())
        dataset.path = (fs::path(options_.projectDirectory) / dataset.path).lexically_normal().string();
    const std::string directory = trialDirectory(options_.outputDirectory, trial.number);
    fs::create_directories(directory);
    saveProjectFile(trial.project, (fs::path(directory) / "project.netdraft").string());
    table_.rows[index].parameters = countParameters(trial.project);
    if (options_.multiplyAccumulates)
        table_.rows[index].multiplyAccumulates = options_.multiplyAccumulates(trial.project);
}

void SweepRunner::startTrial(size_t index, std::vector<Running>& running)
{
    const Trial& trial = trials_[index];
    TrialRow& row = table_.rows[index];
    const fs::path directory = trialDirectory(options_.outputDirectory, trial.number);
    std::vector<std::string> arguments { options_.executable, "train", (directory / "project.netdraft").string(),
        "--out", directory.string() };
    int64_t threads = options_.threadsPerTrial;
    if (threads == 0 && trial.project.training.threads == 0)
        threads = std::max<int64_t>(1, std::thread::hardware_concurrency() / options_.parallel);
    if (threads > 0)
        arguments.insert(arguments.end(), { "--threads", std::to_string(threads) });
    fs::remove(directory / "metrics.jsonl");
    {
        std::ofstream command(directory / "command.txt");
        for (const auto& argument : arguments)
            command << argument << (&argument == &arguments.back() ? "\n" : " ");
    }
    Running entry;
    entry.index = index;
    entry.started = Clock::now();
    try {
        entry.process = TrialProcess::start(arguments, (directory / "train.log").string());
    } catch (const Error& error) {
        row.status = TrialStatus::Failed;
        row.message = error.what();
        finishedSeconds_.push_back(0.0);
        writeResults();
        if (callbacks_.onFinished)
            callbacks_.onFinished(row);
        return;
    }
    row.status = TrialStatus::Running;
    if (callbacks_.onStarted)
        callbacks_.onStarted(row, static_cast<int>(entry.process->pid()));
    running.push_back(std::move(entry));
}

void SweepRunner::finishTrial(Running& trial)
{
    TrialRow& row = table_.rows[trial.index];
    const fs::path directory = trialDirectory(options_.outputDirectory, trials_[trial.index].number);
    const TrainingRunRecord record = readTrainingRun((directory / "metrics.jsonl").string());
    row.takeFigures(record);
    row.seconds = std::chrono::duration<double>(Clock::now() - trial.started).count();
    const bool ended = trial.process->succeeded() && record.finished;
    if (trial.pruned && ended) {
        row.status = TrialStatus::Pruned;
        row.message = trial.pruneMessage;
    } else if (ended && (record.stopReason == "completed" || record.stopReason == "early_stopping")) {
        row.status = TrialStatus::Completed;
        row.message.clear();
    } else if (ended && record.stopReason == "stopped") {
        row.status = TrialStatus::Stopped;
        row.message = record.message;
    } else {
        row.status = TrialStatus::Failed;
        if (record.finished && !record.message.empty())
            row.message = record.stopReason + ": " + record.message;
        else if (const std::string error = firstErrorLine(directory / "train.log"); !error.empty())
            row.message = error;
        else
            row.message = "training did not finish (process " + trial.process->endDescription()
                + (trial.killed ? ", by the sweep" : "") + "); see train.log";
    }
    finishedSeconds_.push_back(row.seconds);
}

void SweepRunner::pruneHopeless(std::vector<Running>& running)
{
    const MedianStoppingRule& rule = options_.pruning;
    if (rule.afterEpochs <= 0)
        return;
    std::vector<std::vector<EpochFigures>> references;
    for (size_t i = 0; i < trials_.size(); ++i)
        if (table_.rows[i].status == TrialStatus::Completed) {
            const fs::path metrics
                = fs::path(trialDirectory(options_.outputDirectory, trials_[i].number)) / "metrics.jsonl";
            references.push_back(readTrainingRun(metrics.string()).epochs);
        }
    for (auto& trial : running) {
        if (trial.pruned)
            continue;
        const fs::path metrics
            = fs::path(trialDirectory(options_.outputDirectory, trials_[trial.index].number)) / "metrics.jsonl";
        std::error_code error;
        const auto size = fs::file_size(metrics, error);
        if (error || size == trial.metricsSize)
            continue;
        trial.metricsSize = size;
        trial.epochs = readTrainingRun(metrics.string()).epochs;
        if (!rule.shouldStop(trial.epochs, references))
            continue;
        trial.pruned = true;
        const int64_t epoch = trial.epochs.back().epoch;
        trial.pruneMessage = "median stopping rule at epoch " + std::to_string(epoch) + ": best "
            + (rule.lowerIsBetter ? "val_loss " : "val_accuracy ")
            + prunedValueText(*rule.bestUpTo(trial.epochs, epoch)) + " is worse than the median of "
            + std::to_string(references.size()) + " completed trials";
        trial.process->interrupt();
    }
}

void SweepRunner::writeResults() const
{
    writeFileAtomically((fs::path(options_.outputDirectory) / "results.csv").string(), resultsCsv(table_));
}

void SweepRunner::run()
{
    begin();
    while (advance())
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

void SweepRunner::begin()
{
    prepare();
}

bool SweepRunner::advance()
{
    if (stopRequested_ && !interrupted_) {
        interrupted_ = true;
        for (auto& trial : running_)
            trial.process->interrupt();
    }
    if (killRequested_ && !killed_) {
        killed_ = true;
        for (auto& trial : running_) {
            trial.killed = true;
            trial.process->kill();
        }
    }
    while (
        !stopRequested_ && !paused_ && next_ < trials_.size() && static_cast<int>(running_.size()) < options_.parallel)
        startTrial(next_++, running_);
    for (auto it = running_.begin(); it != running_.end();) {
        if (!it->process->poll()) {
            ++it;
            continue;
        }
        finishTrial(*it);
        writeResults();
        if (callbacks_.onFinished)
            callbacks_.onFinished(table_.rows[it->index]);
        it = running_.erase(it);
    }
    if (running_.empty() && (stopRequested_ || next_ >= trials_.size())) {
        for (auto& row : table_.rows)
            if (row.status == TrialStatus::Pending)
                row.status = TrialStatus::Cancelled;
        next_ = trials_.size(); // cancelled trials never start
        writeResults();
        return false;
    }
    pruneHopeless(running_);
    return true;
}

} // namespace netdraft::engine
