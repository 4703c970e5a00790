// `netdraft-cli validate PROJECT`: loads a project, infers every shape and reports every problem.
// Exit 0 when the design is clean (warnings allowed), 1 when it has errors, 2 when the file cannot be read.

#include "app/cli/Command.h"
#include "app/cli/TextTable.h"
#include "engine/inference/ShapeInference.h"
#include "engine/insight/NetworkCost.h"
#include "engine/io/ProjectFormat.h"
#include "engine/model/GraphModel.h"
#include "engine/network/CompiledNetwork.h"
#include "engine/train/FineTuning.h"

#include <iostream>
#include <sstream>
#include <vector>

namespace netdraft::app {
namespace {

using namespace netdraft::engine;

class ValidateCommand : public Command {
public:
    const char* name() const override { return "validate"; }
    const char* summary() const override
    {
        return "Load a project, infer the shape at every block and report every error and warning";
    }
    void addOptions(CLI::App& subcommand) override
    {
        subcommand.add_option("PROJECT", path_, "The .netdraft project file")->required();
    }

    int run() override
    {
        const std::optional<Project> loaded = loadProjectForCommand(path_);
        if (!loaded)
            return kExitCannotRead;
        Project project = *loaded;
        // A valid graph is compiled once and its inference reused; a broken one is inferred for the table.
        std::optional<CompiledNetwork> network;
        try {
            network = CompiledNetwork::compileForInspection(project); // opaque blocks: errors, yet counted
        } catch (const Error&) {
        }
        const InferenceResult inference = network ? network->inference() : inferShapes(project.graph);
        std::map<std::string, int64_t> parameters;
        std::optional<ParameterSplit> split;
        std::vector<Problem> costWarnings; // a layer holding most of the parameters (docs/INSIGHT.md)
        std::string buildError;
        if (network) {
            try {
                const GraphModel model = buildModel(*network);
                parameters = model->parameterCounts();
                split = parameterSplit(*model, *network);
                costWarnings = costOf(*network, parameters).warnings;
            } catch (const std::exception& error) {
                buildError = error.what();
            }
        }

        std::cout << (project.name.empty() ? path_ : project.name + " (" + path_ + ")") << "\n\n";
        printTable(project.graph, inference, parameters);
        if (split && split->frozen > 0)
            std::cout << "Trainable parameters: " << split->trainable << ", frozen: " << split->frozen << "\n";
        if (!project.initialWeights.empty())
            std::cout << "Starting weights: " << project.initialWeights << "\n";
        return printProblems(inference, costWarnings, buildError);
    }

private:
    /// "conv1", "conv1 (frozen)", "fc (lr x0.1)": the fine-tuning choices beside the id.
    static std::string blockLabel(const Block& block)
    {
        std::vector<std::string> marks;
        if (block.frozen)
            marks.push_back("frozen");
        if (block.learningRateScale != 1.0) {
            std::ostringstream scale;
            scale << "lr x" << block.learningRateScale;
            marks.push_back(scale.str());
        }
        std::string label = block.id;
        for (size_t i = 0; i < marks.size(); ++i)
            label += (i == 0 ? " (" : ", ") + marks[i] + (i + 1 == marks.size() ? ")" : "");
        return label;
    }

    static void printTable(
        const Graph& graph, const InferenceResult& inference, const std::map<std::string, int64_t>& parameters)
    {
        TextTable table({ "Block", "Type", "Output shape", "Parameters" },
            { TextTable::Align::Left, TextTable::Align::Left, TextTable::Align::Left, TextTable::Align::Right });
        int64_t total = 0;
        for (const Block& block : graph.blocks()) {
            const BlockInference* info = inference.find(block.id);
            std::string shape = "?"; // not reached: an earlier block has errors
            if (info && info->errors.size() > info->runErrors.size())
                shape = "error";
            else if (info && info->output)
                shape = info->output->toString();
            std::string count = "-";
            if (auto it = parameters.find(block.id); it != parameters.end()) {
                count = std::to_string(it->second);
                total += it->second;
            } else if (!parameters.empty()) {
                count = "0";
            }
            table.addRow({ blockLabel(block), block.type, shape, count });
        }
        table.print(std::cout);
        if (!parameters.empty())
            std::cout << "Total parameters: " << total << "\n";
    }

    static int printProblems(
        const InferenceResult& inference, const std::vector<Problem>& costWarnings, const std::string& buildError)
    {
        int errors = 0;
        int warnings = 0;
        std::cout << "\n";
        std::vector<Problem> problems = inference.problems();
        problems.insert(problems.end(), costWarnings.begin(), costWarnings.end());
        for (const Problem& problem : problems) {
            std::cout << (problem.isError() ? "error: " : "warning: ") << problem.toString() << "\n";
            ++(problem.isError() ? errors : warnings);
        }
        if (!buildError.empty()) {
            std::cout << "error: the model cannot be built: " << buildError << "\n";
            ++errors;
        }
        if (errors == 0 && warnings == 0)
            std::cout << "No problems found.\n";
        else
            std::cout << errors << (errors == 1 ? " error, " : " errors, ") << warnings
                      << (warnings == 1 ? " warning" : " warnings") << "\n";
        return errors > 0 ? kExitDesignErrors : kExitOk;
    }

    std::string path_;
};

NETDRAFT_REGISTER_COMMAND(ValidateCommand);

} // namespace
} // namespace netdraft::app
