// `netdraft-cli sweep PROJECT --grid KEY=A,B … --out DIR`: an experiment from the command line, or the
// one saved in the project (`--save` stores the typed one there instead of running it). Each
// trial is the project with its values applied, written to DIR/trial-K/project.netdraft and trained by
// a separate `netdraft-cli train` process (this executable), P at a time; DIR/results.csv holds one row
// per trial. Ctrl+C stops the running trials cleanly and cancels the rest; a second Ctrl+C kills them.
// docs/EXPERIMENTS.md describes the options, the folder and the table.

#include "app/cli/Command.h"
#include "app/cli/TextTable.h"
#include "engine/experiment/ExperimentSpec.h"
#include "engine/experiment/SweepRunner.h"
#include "engine/insight/NetworkCost.h"
#include "engine/io/ProjectFormat.h"
#include "engine/network/CompiledNetwork.h"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

#include <unistd.h>

namespace netdraft::app {
namespace {

using namespace netdraft::engine;
namespace fs = std::filesystem;

SweepRunner* activeSweep = nullptr;
volatile std::sig_atomic_t interruptions = 0;

extern "C" void stopSweepOnInterrupt(int)
{
    ++interruptions;
    if (!activeSweep)
        return;
    if (interruptions == 1) {
        activeSweep->requestStop();
        static const char message[]
            = "\nStopping the running trials after their batch; press Ctrl-C again to kill them.\n";
        [[maybe_unused]] auto written = ::write(STDERR_FILENO, message, sizeof message - 1);
    } else {
        activeSweep->requestKill();
    }
}

std::string sweepClock(double seconds)
{
    const auto total = static_cast<long long>(std::max(0.0, seconds) + 0.5);
    char text[32];
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", total / 3600, total / 60 % 60, total % 60);
    return text;
}

std::string sweepFigure(const std::optional<double>& value, bool percent = false)
{
    if (!value)
        return "-";
    std::ostringstream out;
    out << std::fixed << std::setprecision(percent ? 1 : 4) << (percent ? *value * 100 : *value)
        << (percent ? " %" : "");
    return out.str();
}

std::string trialValuesText(const ResultsTable& table, const TrialRow& row)
{
    std::string text;
    for (size_t i = 0; i < table.keys.size(); ++i)
        if (!row.values[i].empty())
            text += (text.empty() ? "" : ", ") + table.keys[i] + "=" + row.values[i];
    return text;
}

class SweepCommand : public Command {
public:
    const char* name() const override { return "sweep"; }
    const char* summary() const override
    {
        return "Run an experiment: train the project once per combination of settings and block parameters";
    }
    void addOptions(CLI::App& app) override
    {
        app.add_option("PROJECT", path_, "The base .netdraft project file")->required();
        app.add_option("--grid", grids_,
            "KEY=VALUE,VALUE,… to vary (repeatable): training.<setting>, dataset.<setting> or "
            "<block id>.<parameter>, such as training.learning_rate=0.1,0.01 or conv1.out_channels=16,32; "
            "lists in brackets ([1,2],[3,4])");
        app.add_option("--random", randomTrials_,
               "Random search: this many distinct combinations of the --grid values instead of all of them")
            ->check(CLI::Range(1, 1000000));
        app.add_option("--seed", seed_, "Random search: which combinations are drawn (default 0)")
            ->check(CLI::NonNegativeNumber);
        app.add_option("--trial", listed_,
            "An explicit trial, KEY=VALUE;KEY=VALUE (repeatable; instead of --grid)");
        app.add_option("--parallel", parallel_, "Trials trained at once, each in its own process (default 1)")
            ->check(CLI::Range(1, 256));
        app.add_option("--epochs", epochs_, "Set every trial's epochs (written into its project)")
            ->check(CLI::Range(1, 100000));
        app.add_option("--threads", threads_,
               "CPU threads per trial; default: the project's setting, or the cores divided by --parallel")
            ->check(CLI::Range(1, 1024));
        app.add_option("--prune-after", pruneAfter_,
               "Median stopping rule: from this epoch on, stop a trial whose best validation value is worse "
               "than the median of the completed trials' at the same epoch (default 0 = off)")
            ->check(CLI::Range(0, 100000));
        app.add_option("--prune-min-trials", pruneMinimum_,
               "Median stopping rule: completed trials needed before it stops any (default 3)")
            ->check(CLI::Range(1, 100000));
        app.add_option("--out", outDirectory_, "Folder for trial-K/ (project and run files) and results.csv");
        app.add_flag("--save", save_,
            "Check the experiment given by these options and save it in PROJECT instead of running it; "
            "without --grid or --trial, sweep runs the project's saved experiment (options given override it)");
    }

    int run() override
    {
        const std::optional<Project> loaded = loadProjectForCommand(path_);
        if (!loaded)
            return kExitCannotRead;
        Project base = *loaded;
        if (epochs_)
            base.training.epochs = *epochs_;
        std::vector<Trial> trials;
        ExperimentSpec spec;
        ExperimentPlan plan;
        try {
            plan = planOf(*loaded);
            spec = experimentSpecFromPlan(base, plan);
            trials = trialProjects(base, spec);
        } catch (const Error& error) {
            std::cerr << "error: " << error.what() << "\n";
            return kExitFailed;
        }
        if (save_)
            return savePlan(*loaded, plan, trials.size());
        if (outDirectory_.empty())
            outDirectory_ = fs::path(path_).stem().string() + "-sweep";
        if (fs::exists(fs::path(outDirectory_) / "results.csv")) {
            std::cerr << "error: " << outDirectory_ << " already holds a sweep (results.csv); choose another --out\n";
            return kExitFailed;
        }

        SweepOptions options;
        options.executable = fs::read_symlink("/proc/self/exe").string();
        options.projectDirectory = fs::absolute(path_).parent_path().string();
        options.outputDirectory = outDirectory_;
        options.parallel = static_cast<int>(plan.parallel);
        options.threadsPerTrial = threads_.value_or(0);
        options.pruning.afterEpochs = plan.pruneAfter;
        options.pruning.minimumReferences = plan.pruneMinTrials;
        options.pruning.lowerIsBetter = base.training.monitor != "val_accuracy";
        options.multiplyAccumulates = [](const Project& project) -> std::optional<int64_t> {
            try { // as `netdraft-cli summary` counts total_macs
                return costOf(CompiledNetwork::compile(project), CostOptions::fromSettings(project.training))
                    .totalMultiplyAccumulates();
            } catch (const std::exception&) { // a design with errors has no cost
                return std::nullopt;
            }
        };
        SweepRunner runner(std::move(trials), spec.keyTexts(), options);
        const size_t count = runner.table().rows.size();
        std::cout << count << " trials, " << plan.parallel << " at a time, into " << outDirectory_ << "\n";
        SweepCallbacks callbacks;
        callbacks.onStarted = [&](const TrialRow& row, int processId) {
            std::cout << "trial " << row.number << "/" << count << " started (pid " << processId
                      << "): " << trialValuesText(runner.table(), row) << std::endl;
        };
        callbacks.onFinished = [&](const TrialRow& row) { printFinished(runner, row, count); };
        runner.setCallbacks(std::move(callbacks));

        activeSweep = &runner;
        auto previousInterrupt = std::signal(SIGINT, stopSweepOnInterrupt);
        auto previousTerminate = std::signal(SIGTERM, stopSweepOnInterrupt);
        int status = kExitOk;
        try {
            runner.run();
        } catch (const std::exception& error) {
            std::cerr << "error: " << error.what() << "\n";
            status = kExitFailed;
        }
        std::signal(SIGINT, previousInterrupt);
        std::signal(SIGTERM, previousTerminate);
        activeSweep = nullptr;
        printTable(runner.table());
        std::cout << "results: " << (fs::path(outDirectory_) / "results.csv").string() << "\n";
        for (const auto& row : runner.table().rows)
            if (row.status != TrialStatus::Completed && row.status != TrialStatus::Pruned)
                status = kExitFailed;
        return status;
    }

private:
    /// The typed experiment (--grid or --trial), else the project's saved one; the options given
    /// override its search and run settings either way.
    ExperimentPlan planOf(const Project& project) const
    {
        ND_CHECK(listed_.empty() || grids_.empty(), "--trial lists whole trials; it cannot be combined with --grid");
        ExperimentPlan plan;
        if (!grids_.empty() || !listed_.empty()) {
            plan.grid = grids_;
            plan.trials = listed_;
        } else {
            ND_CHECK(!project.experiment.empty(), path_,
                " has no saved experiment; give --grid KEY=VALUE,VALUE,… or --trial KEY=VALUE;… (add --save to "
                "keep them in the project)");
            plan = project.experiment;
        }
        if (randomTrials_)
            plan.randomTrials = *randomTrials_;
        if (seed_)
            plan.seed = *seed_;
        if (parallel_)
            plan.parallel = *parallel_;
        if (pruneAfter_)
            plan.pruneAfter = *pruneAfter_;
        if (pruneMinimum_)
            plan.pruneMinTrials = *pruneMinimum_;
        return plan;
    }

    /// Stores `plan` (already checked) as the project's experiment; the rest of the file stays as loaded.
    int savePlan(Project project, const ExperimentPlan& plan, size_t trialCount) const
    {
        project.experiment = plan;
        try {
            saveProjectFile(project, path_);
        } catch (const Error& error) {
            std::cerr << "error: " << error.what() << "\n";
            return kExitFailed;
        }
        std::cout << "saved the experiment (" << trialCount << " trials) in " << path_
                  << "; run it with: netdraft-cli sweep " << path_ << " --out DIR\n";
        return kExitOk;
    }

    void printFinished(const SweepRunner& runner, const TrialRow& row, size_t count) const
    {
        std::cout << "trial " << row.number << "/" << count << " " << trialStatusName(row.status) << " in "
                  << std::fixed << std::setprecision(1) << row.seconds << std::defaultfloat << " s";
        if (row.bestEpoch > 0)
            std::cout << ": best epoch " << row.bestEpoch << ", val loss " << sweepFigure(row.bestValidationLoss)
                      << (row.bestValidationAccuracy ? ", val accuracy " + sweepFigure(row.bestValidationAccuracy, true) : "");
        if (row.testAccuracy)
            std::cout << ", test accuracy " << sweepFigure(row.testAccuracy, true);
        if (!row.message.empty())
            std::cout << " (" << row.message << ")";
        std::cout << " | " << runner.finished() << "/" << count << " done";
        if (const auto left = runner.secondsLeft(); left && !runner.stopping() && runner.finished() < static_cast<int>(count))
            std::cout << ", ETA " << sweepClock(*left);
        std::cout << std::endl;
    }

    static void printTable(const ResultsTable& table)
    {
        std::vector<std::string> header{ "trial" };
        header.insert(header.end(), table.keys.begin(), table.keys.end());
        header.insert(header.end(),
            { "status", "epochs", "val loss", "val acc", "test loss", "test acc", "params", "MACs", "s" });
        std::vector<TextTable::Align> alignment(header.size(), TextTable::Align::Right);
        alignment[1 + table.keys.size()] = TextTable::Align::Left;
        TextTable text(header, alignment);
        for (const auto& row : table.rows) {
            std::vector<std::string> cells{ std::to_string(row.number) };
            cells.insert(cells.end(), row.values.begin(), row.values.end());
            std::ostringstream seconds;
            seconds << std::fixed << std::setprecision(1) << row.seconds;
            cells.insert(cells.end(),
                { trialStatusName(row.status), std::to_string(row.epochs), sweepFigure(row.bestValidationLoss),
                    sweepFigure(row.bestValidationAccuracy, true), sweepFigure(row.testLoss),
                    sweepFigure(row.testAccuracy, true), row.parameters ? std::to_string(*row.parameters) : "-",
                    row.multiplyAccumulates ? std::to_string(*row.multiplyAccumulates) : "-", seconds.str() });
            text.addRow(std::move(cells));
        }
        text.print(std::cout);
    }

    std::string path_;
    std::vector<std::string> grids_;
    std::vector<std::string> listed_;
    std::optional<int64_t> randomTrials_;
    std::optional<int64_t> seed_;
    std::optional<int64_t> parallel_;
    std::optional<int64_t> epochs_;
    std::optional<int64_t> threads_;
    std::optional<int64_t> pruneAfter_;
    std::optional<int64_t> pruneMinimum_;
    bool save_ = false;
    std::string outDirectory_;
};

NETDRAFT_REGISTER_COMMAND(SweepCommand);

} // namespace
} // namespace netdraft::app
