#include "engine/insight/GradCam.h"

#include "engine/core/Error.h"
#include "engine/insight/BlockViewerRun.h"
#include "engine/insight/GradCamTensor.h"

namespace netdraft::engine {

std::string gradCamBlock(const BlockViewer& viewer)
{
    const CompiledNetwork& network = viewer.run().network;
    std::string chosen;
    for (const NetworkStep* step : network.layers()) {
        const std::optional<Shape>& output = step->info->output;
        // N×C×h×w with more than one position: a map the class evidence can be placed on.
        if (output && output->rank() == 4 && (*output)[2] * (*output)[3] > 1)
            chosen = step->id();
    }
    ND_CHECK(!chosen.empty(),
        "Grad-CAM needs a block whose output is feature maps C×h×w (a convolutional "
        "classifier); this network has none");
    return chosen;
}

GradCamMap gradCam(
    const BlockViewer& viewer, int64_t sampleIndex, std::optional<int64_t> classIndex, const std::string& block)
{
    BlockViewer::Run& run = viewer.run();
    ND_CHECK(viewer.classification(),
        "Grad-CAM explains a classifier's score for a class; this network does "
        "not classify (its loss is a regression loss)");
    ND_CHECK(run.sampleShape.size() == 3, "Grad-CAM places the evidence on an image: the samples here are ",
        run.sampleShape.size(), "-dimensional, not C×H×W");
    const std::string blockId = block.empty() ? gradCamBlock(viewer) : viewer.resolveBlock(block);
    GradCamMap map;
    map.sample = viewer.sample(sampleIndex);
    map.height = run.sampleShape[1];
    map.width = run.sampleShape[2];
    const GradCamTensors tensors
        = gradCamTensors(*run.model, run.input(sampleIndex), blockId, classIndex, map.height, map.width);
    map.classIndex = tensors.classIndex;
    map.className = viewer.className(map.classIndex);
    map.blockId = blockId;
    map.blockLabel = viewer.blockLabel(blockId);
    map.blockShape.assign(tensors.activations.sizes().begin(), tensors.activations.sizes().end());
    map.maximum = tensors.cam.max().item<double>();
    const torch::Tensor heat = (map.maximum > 0 ? tensors.upsampled / map.maximum : tensors.upsampled)
                                   .clamp(0, 1)
                                   .to(torch::kFloat)
                                   .contiguous();
    map.heat.assign(heat.data_ptr<float>(), heat.data_ptr<float>() + heat.numel());
    return map;
}

} // namespace netdraft::engine
