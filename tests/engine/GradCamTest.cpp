// Grad-CAM (issue 20): the heat map of a sample equals Grad-CAM worked out independently with plain
// LibTorch autograd on the same tiny CNN and weights (the activations' gradient retained, averaged
// per channel, the weighted sum through ReLU) within 1e-5; the class and the block can be chosen;
// networks, blocks and classes it cannot explain are refused by message.

#include <torch/torch.h>

#include "engine/graph/GraphBuilder.h"
#include "engine/insight/BlockViewerRun.h"
#include "engine/insight/GradCam.h"
#include "engine/insight/GradCamImage.h"
#include "engine/insight/GradCamTensor.h"
#include "tests/engine/TinyCnnProject.h"
#include "tests/support/TestRegistry.h"
#include "tests/support/ErrorOf.h"

#include <QTest>

using namespace netdraft::engine;
using netdraft::tests::errorOf;
namespace F = torch::nn::functional;

namespace {

torch::Tensor camParameter(const BlockViewer& viewer, const std::string& block, const std::string& name)
{
    return viewer.run().model->blockModule(block)->named_parameters()[name].detach().clone();
}

struct ReferenceCam {
    torch::Tensor scores;
    torch::Tensor cam; ///< at the block's resolution
};

/// Grad-CAM at conv2 (or relu1 when `atRelu1`) of the tiny CNN in plain LibTorch: the forward written
/// out, the activations' gradient kept with retain_grad() and filled by backward().
ReferenceCam referenceCam(
    const BlockViewer& viewer, const torch::Tensor& x, std::optional<int64_t> chosen, bool atRelu1)
{
    torch::Tensor y = torch::relu(F::conv2d(x, camParameter(viewer, "conv1", "weight"),
        F::Conv2dFuncOptions().bias(camParameter(viewer, "conv1", "bias")).stride(2).padding(1)));
    torch::Tensor activations;
    if (atRelu1) {
        y = y.detach().requires_grad_(true);
        activations = y;
    }
    y = F::conv2d(y, camParameter(viewer, "conv2", "weight").requires_grad_(true),
        F::Conv2dFuncOptions().bias(camParameter(viewer, "conv2", "bias")).stride(2).padding(1));
    if (!atRelu1) {
        y.retain_grad();
        activations = y;
    }
    const torch::Tensor scores = F::linear(
        torch::relu(y).flatten(1), camParameter(viewer, "fc", "weight"), camParameter(viewer, "fc", "bias"));
    const int64_t c = chosen.value_or(scores[0].argmax().item<int64_t>());
    scores[0][c].backward();
    const torch::Tensor alpha = activations.grad()[0].mean({ 1, 2 });
    torch::Tensor cam = torch::zeros({ activations.size(2), activations.size(3) });
    for (int64_t k = 0; k < activations.size(1); ++k)
        cam += alpha[k] * activations[0][k].detach();
    return { scores.detach(), torch::relu(cam) };
}

} // namespace

class GradCamTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void equalsPlainAutogradGradCam_data()
    {
        QTest::addColumn<int>("sample");
        QTest::addColumn<int>("classIndex"); // -1: the predicted one
        QTest::addColumn<bool>("atRelu1");
        QTest::newRow("predicted class, last conv") << 3 << -1 << false;
        QTest::newRow("class 4, last conv") << 5 << 4 << false;
        QTest::newRow("class 2, relu1") << 9 << 2 << true;
    }
    void equalsPlainAutogradGradCam()
    {
        QFETCH(int, sample);
        QFETCH(int, classIndex);
        QFETCH(bool, atRelu1);
        const BlockViewer viewer(netdraft::tests::tinyCnnProject(), "", "");
        QCOMPARE(gradCamBlock(viewer), std::string("relu2")); // the last block with C×h×w maps
        const std::optional<int64_t> chosen = classIndex < 0 ? std::nullopt : std::optional<int64_t>(classIndex);
        const std::string block = atRelu1 ? "relu1" : "features";
        const GradCamTensors tensors = gradCamTensors(
            *viewer.run().model, viewer.run().input(sample), atRelu1 ? "relu1" : "conv2", chosen, 32, 32);
        const ReferenceCam reference = referenceCam(viewer, viewer.run().input(sample), chosen, atRelu1);
        QCOMPARE(tensors.classIndex, chosen.value_or(reference.scores[0].argmax().item<int64_t>()));
        QVERIFY(reference.cam.max().item<float>() > 0); // a map with something on it
        const float difference = (tensors.cam - reference.cam).abs().max().item<float>();
        QVERIFY2(difference < 1e-5f, std::to_string(difference).c_str());

        const GradCamMap map = gradCam(viewer, sample, chosen, block);
        QCOMPARE(map.blockId, std::string(atRelu1 ? "relu1" : "conv2"));
        QCOMPARE(map.height, int64_t(32));
        QCOMPARE(map.heat.size(), size_t(32 * 32));
        QCOMPARE(map.classIndex, tensors.classIndex);
        QVERIFY(std::abs(map.maximum - reference.cam.max().item<double>()) < 1e-5);
        // The heat map is the reference upsampled (bilinear, half-pixel centres) and divided by its maximum.
        const torch::Tensor upsampled = F::interpolate(reference.cam.view({ 1, 1, reference.cam.size(0), -1 }),
                                            F::InterpolateFuncOptions()
                                                .size(std::vector<int64_t> { 32, 32 })
                                                .mode(torch::kBilinear)
                                                .align_corners(false))
                                            .view({ 32, 32 })
            / reference.cam.max();
        QVERIFY(torch::allclose(torch::tensor(map.heat).view({ 32, 32 }), upsampled, 1e-5, 1e-5));
    }

    void defaultsToThePredictedClassAndTheLastConvolution()
    {
        const BlockViewer viewer(netdraft::tests::tinyCnnProject(), "", "");
        const GradCamMap map = gradCam(viewer, 2);
        QCOMPARE(map.blockId, gradCamBlock(viewer));
        QCOMPARE(map.classIndex, viewer.sample(2).predicted);
        QCOMPARE(map.className, viewer.classNames()[size_t(map.classIndex)]);
        QCOMPARE(map.blockLabel, viewer.blockLabel(map.blockId));
    }

    void overlayBlendsSampleAndHeat()
    {
        const BlockViewer viewer(netdraft::tests::tinyCnnProject(), "", "");
        const GradCamMap map = gradCam(viewer, 1);
        const RgbImage overlay = gradCamOverlay(map, viewer.sampleShape(), 2);
        QCOMPARE(overlay.width, 64);
        uint8_t r, g, b;
        jetColour(map.heat[0], r, g, b);
        QCOMPARE(int(overlay.rgb[0]), (map.sample.sample.pixels[0] + r + 1) / 2);
        jetColour(1.0f, r, g, b);
        QVERIFY(r > 100 && b == 0); // the most evidence is red
        jetColour(0.0f, r, g, b);
        QVERIFY(b > 100 && r == 0); // none is blue
    }

    void refusesWhatItCannotExplain()
    {
        const BlockViewer viewer(netdraft::tests::tinyCnnProject(), "", "");
        QCOMPARE(errorOf([&] { gradCam(viewer, 0, 12); }),
            std::string("class 12 does not exist: the network scores 10 classes (0–9)"));
        QCOMPARE(errorOf([&] { gradCam(viewer, 0, std::nullopt, "fc"); }),
            std::string("Grad-CAM needs feature maps C×h×w: block fc gives [10]"));
        QCOMPARE(errorOf([&] { gradCam(viewer, 0, std::nullopt, "nowhere"); }).rfind("no block named 'nowhere'", 0),
            size_t(0));
        QCOMPARE(errorOf([&] { gradCam(viewer, 25); }),
            std::string("test sample 25 does not exist: the test part has 20 samples (0–19)"));

        Project dense = netdraft::tests::tinyCnnProject();
        GraphBuilder builder;
        builder.input({ 3, 32, 32 })
            .then("Flatten", {}, "flat")
            .then("Linear", { { "out_features", int64_t(10) } }, "fc")
            .output();
        dense.graph = builder.graph();
        const BlockViewer denseViewer(dense, "", "");
        QCOMPARE(errorOf([&] { gradCam(denseViewer, 0); }),
            std::string("Grad-CAM needs a block whose output is feature maps C×h×w (a convolutional classifier); "
                        "this network has none"));
    }
};

NETDRAFT_TEST(GradCamTest);
#include "GradCamTest.moc"
