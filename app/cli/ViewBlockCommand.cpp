// `netdraft-cli view-block PROJECT --block NAME --sample I [--weights FILE] [--out maps.png]`: what one
// block gives for one test sample (the viewer on a block, issue 20): its shape and value range, and the
// feature maps as a grid of grey tiles (a vector as a bar chart) in a PNG file.

#include "app/cli/Command.h"
#include "app/cli/ProjectRunOptions.h"
#include "engine/insight/BlockViewer.h"
#include "engine/insight/BlockViewerImage.h"

#include <algorithm>
#include <iostream>

namespace netdraft::app {
namespace {

using namespace netdraft::engine;

class ViewBlockCommand : public Command {
public:
    const char* name() const override { return "view-block"; }
    const char* summary() const override
    {
        return "Show one block's output (feature maps or vector) for a test sample; write it as a PNG";
    }
    void addOptions(CLI::App& app) override
    {
        project_.addTo(app);
        app.add_option("--block", block_, "The block: its name on the canvas or its id")->required();
        app.add_option("--sample", sample_, "Index of the test sample (0 is the first)");
        app.add_option("--out", outPath_, "PNG file for the feature-map grid or the bar chart");
    }

    int run() override
    {
        try {
            const std::optional<LoadedProject> loaded = project_.load();
            if (!loaded)
                return kExitCannotRead;
            if (loaded->datasetNote)
                std::cout << *loaded->datasetNote << "\n";
            const std::string& weightsPath = project_.weightsPath();
            const BlockViewer viewer(loaded->project, loaded->directory, weightsPath);
            const ViewedSample sample = viewer.sample(sample_);
            const BlockOutput output = viewer.blockOutput(block_, sample_);
            std::cout << "test sample " << sample.index << " of " << viewer.testSamples();
            if (!sample.sample.labelText.empty())
                std::cout << ": true " << sample.sample.labelText;
            if (sample.predicted >= 0)
                std::cout << ", predicted " << viewer.className(sample.predicted) << " ("
                          << static_cast<int>(sample.confidence * 100 + 0.5) << " %)";
            std::cout << "\nweights: " << (weightsPath.empty() ? "the project's starting weights" : weightsPath)
                      << "\nblock " << output.label << " (" << output.type << "): " << output.shapeText() << "\n";
            if (!output.values.empty()) {
                const auto [low, high] = std::minmax_element(output.values.begin(), output.values.end());
                const auto zeros = std::count(output.values.begin(), output.values.end(), 0.0f);
                std::cout << "values: min " << *low << ", max " << *high << ", zeros " << zeros << " of "
                          << output.values.size() << "\n";
            }
            if (!outPath_.empty()) {
                const RgbImage image = blockOutputImage(output);
                writePng(image, outPath_);
                std::cout << "wrote " << outPath_ << " (" << image.width << "×" << image.height << ", "
                          << (output.featureMaps() ? std::to_string(output.shape[0]) + " feature maps"
                                                   : std::string("bar chart"))
                          << ")\n";
            }
        } catch (const std::exception& error) {
            std::cerr << "error: " << error.what() << "\n";
            return kExitFailed;
        }
        return kExitOk;
    }

private:
    ProjectRunOptions project_ { ProjectRunOptions::Weights::Optional };
    std::string block_;
    int64_t sample_ = 0;
    std::string outPath_;
};

NETDRAFT_REGISTER_COMMAND(ViewBlockCommand);

} // namespace
} // namespace netdraft::app
