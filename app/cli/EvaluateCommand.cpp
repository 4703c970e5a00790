// `netdraft-cli evaluate PROJECT [--weights FILE]`: the metrics and confusion matrix of trained weights
// (a run's weights.pt or checkpoint.pt, a state dict, or without --weights the project's starting
// weights, e.g. an imported model's) on the project's test part (or its validation part when there is
// no test part).

#include "app/cli/Command.h"
#include "app/cli/ProjectRunOptions.h"
#include "app/cli/TextTable.h"
#include "engine/data/PreparedData.h"
#include "engine/io/ProjectFormat.h"
#include "engine/model/GraphModel.h"
#include "engine/train/Checkpoint.h"
#include "engine/train/DeviceSelection.h"
#include "engine/train/Evaluation.h"
#include "engine/train/FineTuning.h"
#include "engine/train/WeightsImport.h"
#include "engine/train/GraphFingerprint.h"

#include <cmath>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

namespace netdraft::app {
namespace {

using namespace netdraft::engine;

std::string fixed(double value, int digits)
{
    std::ostringstream out;
    out << std::fixed << std::setprecision(digits) << value;
    return out.str();
}

std::string percent(double value)
{
    return std::isnan(value) ? "-" : fixed(value * 100, 1) + " %";
}

class EvaluateCommand : public Command {
public:
    const char* name() const override { return "evaluate"; }
    const char* summary() const override
    {
        return "Print the metrics and confusion matrix of trained weights on the project's test data";
    }
    void addOptions(CLI::App& app) override
    {
        project_.addTo(app);
        app.add_option("--device", device_, "cpu, cuda or cuda:K");
        app.add_option("--batch-size", batchSize_, "Samples per batch")->check(CLI::Range(1, 65536));
    }

    int run() override
    {
        try {
            const std::optional<LoadedProject> loaded = project_.load();
            if (!loaded)
                return kExitCannotRead;
            if (loaded->datasetNote)
                std::cout << *loaded->datasetNote << "\n";
            const Project& project = loaded->project;
            const torch::Device device = selectDevice(device_.value_or(project.training.device));
            const CompiledNetwork network = CompiledNetwork::compile(project);
            const PreparedData data = prepareData(project.dataset, loaded->directory, expectedData(network));
            GraphModel model = buildModel(network, static_cast<uint64_t>(project.training.seed));
            const std::string& given = project_.weightsPath();
            const std::string path = given.empty() ? resolveProjectFile(loaded->directory, project.initialWeights) : given;
            ND_CHECK(!path.empty(), "evaluate: the project has no starting weights to evaluate: give --weights (a run's "
                "weights.pt or checkpoint.pt, or a state dict)");
            const OpenedWeights weights = openWeightsFile(path);
            if (weights.checkpoint) { // it records the design it trained: refuse another one by name
                weights.checkpoint->requireGraph(graphFingerprint(project.graph));
                weights.checkpoint->restoreModel(*model);
            } else {
                importWeights(*model, weights.stateDict, path);
            }
            if (given.empty())
                std::cout << "weights: the project's starting weights (" << path << ")\n";
            model->to(device);

            const bool useTest = data.test.size() > 0;
            const InMemoryDataset& part = useTest ? data.test : data.validation;
            ND_CHECK(part.size() > 0, "dataset: neither a test nor a validation part to evaluate on");
            LoaderOptions loading;
            loading.batchSize = batchSize_.value_or(project.training.batchSize);
            loading.normalization = data.normalization;
            loading.device = device;
            const Metrics metrics = evaluateModel(model, part, LossFunction::fromSettings(project.training), loading,
                { /*topFive=*/true, /*confusion=*/true });
            print(metrics, part, useTest ? "test" : "validation");
        } catch (const std::exception& error) {
            std::cerr << "error: " << error.what() << "\n";
            return kExitFailed;
        }
        return kExitOk;
    }

private:
    static void print(const Metrics& metrics, const InMemoryDataset& part, const std::string& partName)
    {
        std::cout << partName << " data: " << metrics.samples << " samples\n";
        std::cout << "loss: " << fixed(metrics.loss, 4) << "\n";
        if (metrics.accuracy)
            std::cout << "accuracy: " << percent(*metrics.accuracy) << "\n";
        if (metrics.topFiveAccuracy && part.classNames.size() > 5)
            std::cout << "top-5 accuracy: " << percent(*metrics.topFiveAccuracy) << "\n";
        if (metrics.meanAbsoluteError)
            std::cout << "MAE: " << *metrics.meanAbsoluteError << "\nRMSE: " << *metrics.rootMeanSquaredError << "\n";
        if (metrics.confusionMatrix.empty())
            return;

        const size_t classes = metrics.confusionMatrix.size();
        auto className = [&](size_t i) { return i < part.classNames.size() ? part.classNames[i] : std::to_string(i); };
        std::cout << "\nper-class accuracy:\n";
        TextTable perClass({ "Class", "Samples", "Accuracy" },
            { TextTable::Align::Left, TextTable::Align::Right, TextTable::Align::Right });
        for (size_t i = 0; i < classes; ++i) {
            int64_t count = 0;
            for (int64_t cell : metrics.confusionMatrix[i])
                count += cell;
            perClass.addRow({ className(i), std::to_string(count), percent(metrics.perClassAccuracy[i]) });
        }
        perClass.print(std::cout);

        std::cout << "\nconfusion matrix (rows: true class, columns: predicted):\n";
        std::vector<std::string> header { "" };
        std::vector<TextTable::Align> alignment { TextTable::Align::Left };
        for (size_t i = 0; i < classes; ++i) {
            header.push_back(className(i));
            alignment.push_back(TextTable::Align::Right);
        }
        TextTable matrix(header, alignment);
        for (size_t i = 0; i < classes; ++i) {
            std::vector<std::string> row { className(i) };
            for (int64_t cell : metrics.confusionMatrix[i])
                row.push_back(std::to_string(cell));
            matrix.addRow(row);
        }
        matrix.print(std::cout);
    }

    ProjectRunOptions project_ { ProjectRunOptions::Weights::Optional };
    std::optional<std::string> device_;
    std::optional<int64_t> batchSize_;
};

NETDRAFT_REGISTER_COMMAND(EvaluateCommand);

} // namespace
} // namespace netdraft::app
