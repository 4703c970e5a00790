// `netdraft-cli gradcam PROJECT --sample I [--class C] [--block NAME] [--weights FILE] --out cam.png`:
// Grad-CAM of a convolutional classifier for one test sample (issue 20): the sample, its heat map and
// both laid over each other side by side in a PNG, and where the evidence lies.

#include "app/cli/Command.h"
#include "app/cli/ProjectRunOptions.h"
#include "engine/insight/GradCam.h"
#include "engine/insight/GradCamImage.h"

#include <algorithm>
#include <iostream>

namespace netdraft::app {
namespace {

using namespace netdraft::engine;

class GradCamCommand : public Command {
public:
    const char* name() const override { return "gradcam"; }
    const char* summary() const override
    {
        return "Grad-CAM heat map of a test sample for a class (default: the predicted one), as a PNG";
    }
    void addOptions(CLI::App& app) override
    {
        project_.addTo(app);
        app.add_option("--sample", sample_, "Index of the test sample (0 is the first)");
        app.add_option("--class", class_, "Class index to explain (default: the predicted class)");
        app.add_option("--block", block_, "Block whose feature maps are weighed (default: the last convolution-like)");
        app.add_option("--out", outPath_, "PNG file: sample, heat map and overlay side by side")->required();
    }

    int run() override
    {
        try {
            const std::optional<LoadedProject> loaded = project_.load();
            if (!loaded)
                return kExitCannotRead;
            if (loaded->datasetNote)
                std::cout << *loaded->datasetNote << "\n";
            const BlockViewer viewer(loaded->project, loaded->directory, project_.weightsPath());
            const GradCamMap map = gradCam(viewer, sample_, class_, block_);
            std::cout << "test sample " << map.sample.index << " of " << viewer.testSamples() << ": true "
                      << map.sample.sample.labelText << ", predicted " << viewer.className(map.sample.predicted) << " ("
                      << static_cast<int>(map.sample.confidence * 100 + 0.5) << " %)\n"
                      << "class explained: " << map.className << " (" << map.classIndex << ")\n"
                      << "block: " << map.blockLabel << ", " << map.blockShape[0] << "×" << map.blockShape[1] << "×"
                      << map.blockShape[2] << " feature maps\n";
            const auto peak = std::max_element(map.heat.begin(), map.heat.end()) - map.heat.begin();
            if (map.maximum > 0)
                std::cout << "strongest evidence at row " << peak / map.width << ", column " << peak % map.width
                          << " (map maximum " << map.maximum << ")\n";
            else
                std::cout << "no positive evidence for this class at this block (the map is all zero)\n";
            const int scale = static_cast<int>(std::max<int64_t>(1, 160 / std::max(map.height, map.width)));
            const RgbImage picture = gradCamPicture(map, viewer.sampleShape(), scale);
            writePng(picture, outPath_);
            std::cout << "wrote " << outPath_ << " (" << picture.width << "×" << picture.height
                      << ": sample, heat map, overlay; blue no evidence, red the most)\n";
        } catch (const std::exception& error) {
            std::cerr << "error: " << error.what() << "\n";
            return kExitFailed;
        }
        return kExitOk;
    }

private:
    ProjectRunOptions project_ { ProjectRunOptions::Weights::Optional };
    int64_t sample_ = 0;
    std::optional<int64_t> class_;
    std::string block_;
    std::string outPath_;
};

NETDRAFT_REGISTER_COMMAND(GradCamCommand);

} // namespace
} // namespace netdraft::app
