// The viewer on a block (issue 20): what a block gives for one test sample equals a hand-written
// LibTorch forward up to that block on the same weights and the same normalised input; unknown blocks
// and samples are refused by message; the grid picture lays the maps out as described.

#include <torch/torch.h>

#include "engine/data/PreparedData.h"
#include "engine/insight/BlockViewer.h"
#include "engine/insight/BlockViewerImage.h"
#include "engine/insight/BlockViewerRun.h"
#include "engine/io/StateDict.h"
#include "tests/engine/TinyCnnProject.h"
#include "tests/engine/TrainingFixtures.h"
#include "tests/support/TestRegistry.h"
#include "tests/support/ErrorOf.h"

#include <QTest>

#include <filesystem>

using namespace netdraft::engine;
using netdraft::tests::errorOf;
namespace F = torch::nn::functional;

namespace {

torch::Tensor parameter(const BlockViewer& viewer, const std::string& block, const std::string& name)
{
    return viewer.run().model->blockModule(block)->named_parameters()[name].detach();
}

/// Test sample `index` normalised by hand: pixels / 255 less the training part's mean, over its std.
torch::Tensor normalisedByHand(const Project& project, int64_t index)
{
    const PreparedData data = prepareData(project.dataset, "", expectedData(CompiledNetwork::compile(project)));
    torch::Tensor x = data.test.inputs[index].to(torch::kFloat32).unsqueeze(0) / data.test.inputScale;
    const auto mean = torch::tensor(data.normalization.mean).to(torch::kFloat32).view({ 1, -1, 1, 1 });
    const auto std = torch::tensor(data.normalization.std).to(torch::kFloat32).view({ 1, -1, 1, 1 });
    return (x - mean) / std;
}

/// conv1 → relu1 → conv2 of the tiny CNN in plain functional LibTorch.
torch::Tensor featuresByHand(const BlockViewer& viewer, const torch::Tensor& x, bool throughConv2)
{
    torch::Tensor y = F::conv2d(x, parameter(viewer, "conv1", "weight"),
        F::Conv2dFuncOptions().bias(parameter(viewer, "conv1", "bias")).stride(2).padding(1));
    y = torch::relu(y);
    if (!throughConv2)
        return y;
    return F::conv2d(y, parameter(viewer, "conv2", "weight"),
        F::Conv2dFuncOptions().bias(parameter(viewer, "conv2", "bias")).stride(2).padding(1));
}

torch::Tensor asTensor(const BlockOutput& output)
{
    return torch::tensor(output.values).view(output.shape);
}

} // namespace

class BlockViewerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void blockOutputsEqualAHandWrittenForward()
    {
        const Project project = netdraft::tests::tinyCnnProject();
        const BlockViewer viewer(project, "", "");
        QCOMPARE(viewer.testSamples(), int64_t(20));
        const int64_t index = 7;
        const torch::Tensor x = normalisedByHand(project, index);
        QVERIFY(torch::allclose(viewer.run().input(index), x, 1e-6, 1e-6));

        const BlockOutput relu1 = viewer.blockOutput("relu1", index);
        QCOMPARE(relu1.shape, (std::vector<int64_t> { 4, 16, 16 }));
        QCOMPARE(relu1.shapeText(), std::string("4×16×16"));
        QVERIFY(torch::allclose(asTensor(relu1), featuresByHand(viewer, x, false)[0], 1e-5, 1e-6));

        // By display name, as the canvas shows it; by id too.
        const BlockOutput conv2 = viewer.blockOutput("features", index);
        QCOMPARE(conv2.blockId, std::string("conv2"));
        QCOMPARE(conv2.label, std::string("features (conv2)"));
        QCOMPARE(conv2.type, std::string("Conv2d"));
        const torch::Tensor expected = featuresByHand(viewer, x, true)[0];
        QVERIFY(torch::allclose(asTensor(conv2), expected, 1e-5, 1e-6));
        QCOMPARE(asTensor(viewer.blockOutput("conv2", index)).sub(expected).abs().max().item<float>() < 1e-5f, true);

        // A vector: the classifier's scores, and the sample's prediction from them.
        const BlockOutput scores = viewer.blockOutput("fc", index);
        QCOMPARE(scores.shape, (std::vector<int64_t> { 10 }));
        const torch::Tensor logits = F::linear(torch::relu(expected).flatten().unsqueeze(0),
            parameter(viewer, "fc", "weight"), parameter(viewer, "fc", "bias"))[0];
        QVERIFY(torch::allclose(asTensor(scores), logits, 1e-5, 1e-5));
        QCOMPARE(viewer.sample(index).predicted, logits.argmax().item<int64_t>());
        // Another sample gives other maps.
        QVERIFY(!torch::allclose(asTensor(viewer.blockOutput("conv2", index + 1)), expected));
    }

    void trainedWeightsAreTheOnesShown()
    {
        const Project project = netdraft::tests::tinyCnnProject();
        const std::string folder = netdraft::tests::freshFolder("block-viewer-weights");
        GraphModel other = buildModel(CompiledNetwork::compile(project), 99); // not the project's seed
        const std::string path = folder + "/weights.pt";
        exportStateDict(*other, path);
        const BlockViewer viewer(project, "", path);
        QVERIFY(torch::equal(
            parameter(viewer, "conv1", "weight"), other->blockModule("conv1")->named_parameters()["weight"]));
        const BlockViewer seeded(project, "", "");
        QVERIFY(!torch::equal(parameter(seeded, "conv1", "weight"), parameter(viewer, "conv1", "weight")));
    }

    void badBlocksAndSamplesAreRefusedByMessage()
    {
        const BlockViewer viewer(netdraft::tests::tinyCnnProject(), "", "");
        QCOMPARE(errorOf([&] { viewer.blockOutput("conv9", 0); }),
            std::string("no block named 'conv9' in the network; its blocks are input, conv1, relu1, features (conv2), "
                        "relu2, flat, fc, output"));
        QCOMPARE(errorOf([&] { viewer.blockOutput("conv1", 20); }),
            std::string("test sample 20 does not exist: the test part has 20 samples (0–19)"));
        QCOMPARE(errorOf([&] { viewer.sample(-1); }),
            std::string("test sample -1 does not exist: the test part has 20 samples (0–19)"));
    }

    void classNamesFallBackToTheIndex()
    {
        const BlockViewer viewer(netdraft::tests::tinyCnnProject(), "", ""); // Shapes: 10 named classes
        QCOMPARE(viewer.className(0), std::string("circle"));
        QCOMPARE(viewer.className(3), std::string("cross"));
        QCOMPARE(viewer.className(9), viewer.classNames().back());
        QCOMPARE(viewer.className(10), std::string("10"));
        QCOMPARE(viewer.className(-1), std::string("-1"));
    }

    void gridLaysMapsOutInTiles()
    {
        BlockOutput output;
        output.label = "maps";
        output.shape = { 3, 2, 4 };
        output.values.resize(24);
        for (size_t i = 0; i < output.values.size(); ++i)
            output.values[i] = float(i % 8); // each map 0…7 row by row
        output.values[16 + 3] = 100.0f; // the third map's maximum sits at (0, 3)
        const RgbImage image = featureMapGrid(output, 16);
        const FeatureMapLayout layout = featureMapLayout(3, 2, 4, 16);
        QCOMPARE(layout.scale, 4); // 4 values wide → 16 px
        QCOMPARE(layout.columns * layout.rows >= 3, true);
        QCOMPARE(image.width, FeatureMapLayout::kGap + layout.columns * (16 + FeatureMapLayout::kGap));
        auto grey = [&](int map, int x, int y) {
            return image.rgb[(size_t(layout.top(map) + y * 4) * image.width + layout.left(map) + x * 4) * 3];
        };
        QCOMPARE(int(grey(0, 0, 0)), 0); // each map from its own minimum (black) …
        QCOMPARE(int(grey(0, 3, 1)), 255); // … to its own maximum (white)
        QCOMPARE(int(grey(1, 3, 0)), int(std::lround(3 / 7.0 * 255)));
        QCOMPARE(int(grey(2, 3, 0)), 255);
        QCOMPARE(int(grey(2, 3, 1)), int(std::lround(7 / 100.0 * 255)));
        QCOMPARE(int(image.rgb[0]), 128); // the gap's grey
    }

    void gridAndBarChartAreWrittenAsPng()
    {
        const BlockViewer viewer(netdraft::tests::tinyCnnProject(), "", "");
        const std::string folder = netdraft::tests::freshFolder("block-viewer-png");
        writePng(blockOutputImage(viewer.blockOutput("relu1", 0)), folder + "/maps.png");
        writePng(blockOutputImage(viewer.blockOutput("fc", 0)), folder + "/bars.png");
        QVERIFY(std::filesystem::file_size(folder + "/maps.png") > 100);
        QVERIFY(std::filesystem::file_size(folder + "/bars.png") > 100);
        QCOMPARE(errorOf([&] { writePng(blockOutputImage(viewer.blockOutput("fc", 0)), folder + "/no/such/x.png"); }),
            folder + "/no/such/x.png: cannot write the PNG file");
    }
};

NETDRAFT_TEST(BlockViewerTest);
#include "BlockViewerTest.moc"
