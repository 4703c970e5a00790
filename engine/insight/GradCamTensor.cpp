#include "engine/insight/GradCamTensor.h"

#include "engine/core/Error.h"

namespace netdraft::engine {

namespace {

/// Keeps the chosen block's output, which autograd then differentiates the score by.
class ActivationCatcher : public StepWatcher {
public:
    explicit ActivationCatcher(std::string blockId)
        : blockId_(std::move(blockId))
    {
    }
    void afterStep(size_t, const std::string& blockId, const std::vector<torch::Tensor>&,
        const std::vector<torch::Tensor>& outputs) override
    {
        if (blockId == blockId_)
            activations = outputs.at(0);
    }
    torch::Tensor activations;

private:
    std::string blockId_;
};

} // namespace

GradCamTensors gradCamTensors(GraphModelImpl& model, const torch::Tensor& input, const std::string& blockId,
    std::optional<int64_t> classIndex, int64_t height, int64_t width)
{
    ND_CHECK(input.dim() >= 1 && input.size(0) == 1, "Grad-CAM takes one sample, not a batch of ", input.size(0));
    torch::AutoGradMode enableGrad(true);
    ActivationCatcher catcher(blockId);
    model.setStepWatcher(&catcher);
    // The input takes part in autograd so that the block's output does even when every block before
    // it is frozen; the parameters' gradients are never asked for, so they stay as they were.
    torch::Tensor tracked = input.is_floating_point() ? input.detach().requires_grad_(true) : input;
    torch::Tensor scores;
    try {
        scores = model.forward(tracked);
    } catch (...) {
        model.setStepWatcher(nullptr);
        throw;
    }
    model.setStepWatcher(nullptr);
    const torch::Tensor& activations = catcher.activations;
    ND_CHECK(activations.defined(), "the network has no block ", blockId);
    ND_CHECK(activations.dim() == 4, "Grad-CAM needs feature maps C×h×w: block ", blockId, " gives ",
        activations.sizes().slice(1));
    ND_CHECK(scores.dim() == 2, "Grad-CAM needs one score per class: the network gives ", scores.sizes());
    GradCamTensors result;
    result.scores = scores.detach();
    result.classIndex = classIndex.value_or(scores[0].argmax().item<int64_t>());
    ND_CHECK(result.classIndex >= 0 && result.classIndex < scores.size(1), "class ", result.classIndex,
        " does not exist: the network scores ", scores.size(1), " classes (0–", scores.size(1) - 1, ")");
    ND_CHECK(activations.requires_grad(), "block ", blockId, "'s output does not depend on the input");
    const torch::Tensor score = scores[0][result.classIndex];
    const torch::Tensor gradients
        = torch::autograd::grad({ score }, { activations }, {}, /*retain_graph=*/false, /*create_graph=*/false,
            /*allow_unused=*/true)[0];
    result.activations = activations.detach()[0];
    result.weights = gradients.defined() ? gradients[0].mean({ 1, 2 }) : torch::zeros({ activations.size(1) });
    result.cam = torch::relu((result.weights.view({ -1, 1, 1 }) * result.activations).sum(0));
    result.upsampled
        = torch::nn::functional::interpolate(result.cam.view({ 1, 1, result.cam.size(0), result.cam.size(1) }),
            torch::nn::functional::InterpolateFuncOptions()
                .size(std::vector<int64_t> { height, width })
                .mode(torch::kBilinear)
                .align_corners(false))[0][0];
    return result;
}

} // namespace netdraft::engine
