// `netdraft-cli lr-find PROJECT [--batches N] [--min R] [--max R] [--csv FILE] [--json]`: the
// learning-rate finder (engine/train/LearningRateFinder.h): an exponential sweep of the rate on a copy
// of the project's model, the loss against the rate, and a suggested rate. The project is not changed.

#include "app/cli/Command.h"
#include "engine/core/Error.h"
#include "engine/io/AtomicFile.h"
#include "engine/train/LearningRateFinder.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace netdraft::app {
namespace {

using namespace netdraft::engine;

std::string formatRate(double rate)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", rate);
    return text;
}

class LrFindCommand : public Command {
public:
    const char* name() const override { return "lr-find"; }
    const char* summary() const override
    {
        return "Sweep the learning rate exponentially over a few batches on a copy of the model and suggest one";
    }
    void addOptions(CLI::App& subcommand) override
    {
        subcommand.add_option("PROJECT", path_, "The .netdraft project file")->required();
        subcommand.add_option(
            "--batches", options_.batches, "Steps of the sweep, at most one pass over the training data (default 100)");
        subcommand.add_option("--min", options_.minimumRate, "The first batch's learning rate (default 1e-7)");
        subcommand.add_option("--max", options_.maximumRate, "The last batch's learning rate (default 10)");
        subcommand.add_option("--csv", csvPath_, "Write learning_rate,loss,smoothed_loss per batch to this file");
        subcommand.add_flag("--json", json_, "Print a JSON object instead of text");
    }

    int run() override
    {
        try {
            options_.check();
        } catch (const Error& error) {
            std::cerr << "error: " << error.what() << "\n";
            return kExitFailed;
        }
        const std::optional<Project> loaded = loadProjectForCommand(path_);
        if (!loaded)
            return kExitCannotRead;
        const std::string projectDirectory = std::filesystem::absolute(path_).parent_path().string();
        LearningRateFinding finding;
        try {
            finding = findLearningRate(*loaded, projectDirectory, options_);
        } catch (const std::exception& error) {
            std::cerr << "error: " << error.what() << "\n";
            return kExitFailed;
        }
        if (!csvPath_.empty()) {
            std::ostringstream csv;
            csv.precision(9);
            csv << "learning_rate,loss,smoothed_loss\n";
            for (const LearningRatePoint& point : finding.points)
                csv << point.learningRate << "," << point.loss << "," << point.smoothedLoss << "\n";
            try {
                writeFileAtomically(csvPath_, csv.str());
            } catch (const std::exception& error) {
                std::cerr << "error: " << error.what() << "\n";
                return kExitFailed;
            }
        }
        if (json_)
            printJson(finding, loaded->training.learningRate);
        else
            printText(finding, loaded->training.learningRate);
        return finding.suggestedRate ? kExitOk : kExitFailed;
    }

private:
    void printText(const LearningRateFinding& finding, double projectRate) const
    {
        std::cout << "Swept " << finding.optimizer << " from " << formatRate(options_.minimumRate) << " to "
                  << formatRate(options_.maximumRate) << " over " << finding.points.size() << " of "
                  << finding.batchesPlanned << " batches";
        if (finding.diverged && !finding.points.empty())
            std::cout << " (stopped at " << formatRate(finding.points.back().learningRate) << ": the loss exploded)";
        std::cout << "\n";
        if (!finding.points.empty())
            std::cout << "Lowest smoothed loss at learning rate " << formatRate(finding.minimumLossRate) << "\n";
        if (!finding.suggestedRate) {
            std::cout << "No suggestion: " << finding.noSuggestion << "\n";
            return;
        }
        std::cout << "Suggested learning rate: " << formatRate(*finding.suggestedRate) << " ("
                  << kLearningRateSuggestionRule << "); the project uses " << formatRate(projectRate) << "\n";
    }

    void printJson(const LearningRateFinding& finding, double projectRate) const
    {
        nlohmann::ordered_json points = nlohmann::ordered_json::array();
        for (const LearningRatePoint& point : finding.points)
            points.push_back({ { "learning_rate", point.learningRate }, { "loss", point.loss },
                { "smoothed_loss", point.smoothedLoss } });
        nlohmann::ordered_json json {
            { "optimizer", finding.optimizer },
            { "min_learning_rate", options_.minimumRate },
            { "max_learning_rate", options_.maximumRate },
            { "batches_planned", finding.batchesPlanned },
            { "batches_run", finding.points.size() },
            { "diverged", finding.diverged },
            { "suggested_learning_rate",
                finding.suggestedRate ? nlohmann::ordered_json(*finding.suggestedRate) : nlohmann::ordered_json() },
            { "suggestion_rule", kLearningRateSuggestionRule },
            { "no_suggestion", finding.noSuggestion.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(finding.noSuggestion) },
            { "min_loss_learning_rate", finding.minimumLossRate },
            { "project_learning_rate", projectRate },
            { "points", points },
        };
        std::cout << json.dump(2) << "\n";
    }

    std::string path_;
    std::string csvPath_;
    LearningRateFinderOptions options_;
    bool json_ = false;
};

NETDRAFT_REGISTER_COMMAND(LrFindCommand);

} // namespace
} // namespace netdraft::app
