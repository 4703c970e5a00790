// Mixed precision on the CPU: the precision setting, the autocast guard, the bf16 refusal on CPUs
// without bf16 instructions, channels-last steps, and a bf16 run that learns with fp32 weights.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/model/GraphModel.h"
#include "engine/train/CpuFastMode.h"
#include "engine/train/MixedPrecision.h"
#include "engine/train/Trainer.h"
#include "engine/train/TrainingStep.h"
#include "tests/engine/TrainingFixtures.h"
#include "tests/support/TestRegistry.h"

#include <ATen/CPUGeneratorImpl.h>

#include <QTest>

using namespace netdraft::engine;

namespace {

/// Input(3×8×8) → Conv2d(8) → ReLU → MaxPool2d → Flatten → Linear(2) → Output.
Graph smallConvNet()
{
    GraphBuilder builder;
    builder.input({ 3, 8, 8 })
        .then("Conv2d", { { "out_channels", int64_t(8) }, { "padding", int64_t(1) } }, "conv")
        .then("ReLU", {}, "relu")
        .then("MaxPool2d", {}, "pool")
        .then("Flatten", {}, "flatten")
        .then("Linear", { { "out_features", int64_t(2) } }, "fc")
        .output();
    return builder.graph();
}

/// Two classes of noisy 8×8 images: bright left half (0) or bright right half (1).
InMemoryDataset halves(int64_t samples, uint64_t seed)
{
    at::Generator generator = at::detail::createCPUGenerator(seed);
    InMemoryDataset data;
    data.targets = torch::randint(0, 2, { samples }, generator, torch::kLong);
    torch::Tensor images = 0.3 * torch::randn({ samples, 3, 8, 8 }, generator);
    const torch::Tensor right = data.targets.to(torch::kFloat).view({ samples, 1, 1, 1 });
    images.slice(3, 0, 4).add_(1.0 - right);
    images.slice(3, 4, 8).add_(right);
    data.inputs = images;
    data.classNames = { "left", "right" };
    return data;
}

} // namespace

class MixedPrecisionTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void precisionNames()
    {
        QCOMPARE(parsePrecision("fp32"), Precision::Float32);
        QCOMPARE(parsePrecision("bf16"), Precision::BFloat16);
        QCOMPARE(parsePrecision("fp16"), Precision::Float16);
        QCOMPARE(std::string(toString(Precision::BFloat16)), std::string("bf16"));
        try {
            parsePrecision("fp8");
            QFAIL("fp8 accepted");
        } catch (const Error& error) {
            QCOMPARE(std::string(error.what()), std::string("precision 'fp8': expected fp32, bf16 or fp16"));
        }
    }

    void autocastGuardCastsConvolutionsAndRestores()
    {
        torch::nn::Conv2d conv(torch::nn::Conv2dOptions(3, 4, 3));
        const torch::Tensor input = torch::randn({ 2, 3, 6, 6 });
        {
            AutocastGuard outer(torch::kCPU, Precision::BFloat16);
            QCOMPARE(conv(input).scalar_type(), torch::kBFloat16);
            {
                AutocastGuard nested(torch::kCPU, Precision::BFloat16);
                QCOMPARE(conv(input).scalar_type(), torch::kBFloat16);
            }
            QCOMPARE(conv(input).scalar_type(), torch::kBFloat16); // the nested guard left autocast on
            AutocastGuard none(torch::kCPU, Precision::Float32);
            QCOMPARE(conv(input).scalar_type(), torch::kBFloat16);
        }
        QCOMPARE(conv(input).scalar_type(), torch::kFloat); // off again
        QCOMPARE(conv->weight.scalar_type(), torch::kFloat); // weights untouched
        {
            AutocastGuard fp32(torch::kCPU, Precision::Float32);
            QCOMPARE(conv(input).scalar_type(), torch::kFloat);
        }
    }

    void cpuPrecisionChecks()
    {
        QVERIFY_EXCEPTION_THROWN(checkPrecision(Precision::Float16, { torch::kCPU }), Error);
        try {
            checkPrecision(Precision::Float16, { torch::kCPU });
        } catch (const Error& error) {
            QVERIFY2(std::string(error.what()).find("fp16 needs a CUDA device") != std::string::npos, error.what());
        }
        checkPrecision(Precision::Float32, { torch::kCPU, torch::kCPU });
        if (cpuFastMode().supported) {
            checkPrecision(Precision::BFloat16, { torch::kCPU });
        } else {
            try {
                checkPrecision(Precision::BFloat16, { torch::kCPU });
                QFAIL("bf16 accepted on a CPU without bf16 instructions");
            } catch (const Error& error) {
                QVERIFY2(std::string(error.what()).find("use fp32") != std::string::npos, error.what());
            }
        }
    }

    void channelsLastStepEqualsContiguousStep()
    {
        const Graph graph = smallConvNet();
        GraphModel plain = buildModel(graph, 5);
        GraphModel nhwc = buildModel(graph, 5);
        StepOptions channelsLast;
        channelsLast.channelsLast = true;
        const LossFunction loss("cross_entropy");
        TrainingStep plainStep(plain, {}, { torch::kCPU }, loss, {});
        TrainingStep nhwcStep(nhwc, {}, { torch::kCPU }, loss, channelsLast);
        const torch::Tensor weight = nhwc->parameters().front();
        QCOMPARE(weight.dim(), int64_t(4));
        QVERIFY(weight.is_contiguous(torch::MemoryFormat::ChannelsLast));
        QVERIFY(!weight.is_contiguous());
        torch::optim::SGD a(plain->parameters(), torch::optim::SGDOptions(0.1));
        torch::optim::SGD b(nhwc->parameters(), torch::optim::SGDOptions(0.1));
        const InMemoryDataset data = halves(16, 3);
        const StepForward fa = plainStep.forward(data.inputs, data.targets);
        const StepForward fb = nhwcStep.forward(data.inputs, data.targets);
        QVERIFY(std::abs(fa.lossValue - fb.lossValue) < 1e-5);
        plainStep.backwardAndStep(a);
        nhwcStep.backwardAndStep(b);
        for (size_t i = 0; i < plain->parameters().size(); ++i)
            QVERIFY((plain->parameters()[i] - nhwc->parameters()[i]).abs().max().item<double>() < 1e-5);
        QVERIFY(nhwc->parameters().front().is_contiguous(torch::MemoryFormat::ChannelsLast));
    }

    /// The fp16 path's loss scaling, run in fp32 (CPU autocast has no fp16): scaling by a power of two and
    /// unscaling is exact, so the step equals an unscaled one; a scale that overflows the gradients
    /// skips the step, leaves the weights alone and backs the scale off.
    void lossScaledStepsOnTheCpu()
    {
        const Graph graph = smallConvNet();
        GraphModel plain = buildModel(graph, 5);
        GraphModel scaled = buildModel(graph, 5);
        GraphModel overflowing = buildModel(graph, 5);
        const LossFunction loss("cross_entropy");
        StepOptions scaling;
        scaling.lossScaling = GradScalerOptions().initial(1024);
        scaling.gradientClipNorm = 10.0; // clipping must see unscaled gradients
        StepOptions clipOnly;
        clipOnly.gradientClipNorm = 10.0;
        StepOptions overflow;
        // A scale past fp32's range: the scaled loss and every gradient overflow, as fp16 ones do at 65536.
        overflow.lossScaling = GradScalerOptions().initial(1e39);
        TrainingStep plainStep(plain, {}, { torch::kCPU }, loss, clipOnly);
        TrainingStep scaledStep(scaled, {}, { torch::kCPU }, loss, scaling);
        TrainingStep overflowingStep(overflowing, {}, { torch::kCPU }, loss, overflow);
        torch::optim::SGD a(plain->parameters(), torch::optim::SGDOptions(0.1));
        torch::optim::SGD b(scaled->parameters(), torch::optim::SGDOptions(0.1));
        torch::optim::SGD c(overflowing->parameters(), torch::optim::SGDOptions(0.1));
        const std::vector<torch::Tensor> before = [&] {
            std::vector<torch::Tensor> copies;
            for (const torch::Tensor& parameter : overflowing->parameters())
                copies.push_back(parameter.detach().clone());
            return copies;
        }();
        const InMemoryDataset data = halves(16, 3);
        plainStep.forward(data.inputs, data.targets);
        scaledStep.forward(data.inputs, data.targets);
        overflowingStep.forward(data.inputs, data.targets);
        QVERIFY(plainStep.backwardAndStep(a));
        QVERIFY(scaledStep.backwardAndStep(b));
        QVERIFY(!overflowingStep.backwardAndStep(c));
        for (size_t i = 0; i < plain->parameters().size(); ++i) {
            QVERIFY((plain->parameters()[i] - scaled->parameters()[i]).abs().max().item<double>() < 1e-6);
            QVERIFY(torch::equal(overflowing->parameters()[i], before[i]));
        }
        QVERIFY((plain->parameters()[0] - before[0]).abs().max().item<double>() > 1e-4); // the clean steps moved
        QCOMPARE(scaledStep.scaler().currentScale(), 1024.0);
        QCOMPARE(overflowingStep.scaler().currentScale(), 0.5e39);
        QCOMPARE(overflowingStep.scaler().skippedSteps(), int64_t(1));
    }

    void bf16StepIsCloseToFp32Step()
    {
        if (!cpuFastMode().supported)
            QSKIP("this CPU has no bf16 fast mode");
        const Graph graph = smallConvNet();
        GraphModel fp32 = buildModel(graph, 5);
        GraphModel bf16 = buildModel(graph, 5);
        StepOptions mixed;
        mixed.precision = Precision::BFloat16;
        const LossFunction loss("cross_entropy");
        TrainingStep fp32Step(fp32, {}, { torch::kCPU }, loss, {});
        TrainingStep bf16Step(bf16, {}, { torch::kCPU }, loss, mixed);
        const InMemoryDataset data = halves(32, 4);
        const StepForward a = fp32Step.forward(data.inputs, data.targets);
        const StepForward b = bf16Step.forward(data.inputs, data.targets);
        QCOMPARE(b.output.scalar_type(), torch::kFloat);
        QCOMPARE(b.loss.scalar_type(), torch::kFloat);
        // bf16 keeps 8 bits of mantissa: about 0.4 % relative error per rounding.
        QVERIFY2(std::abs(a.lossValue - b.lossValue) < 0.02 * std::abs(a.lossValue),
            qPrintable(QString("fp32 %1, bf16 %2").arg(a.lossValue).arg(b.lossValue)));
        QVERIFY(a.lossValue != b.lossValue); // bf16 really ran
    }

    void bf16RunLearnsWithFp32Weights()
    {
        if (!cpuFastMode().supported)
            QSKIP("this CPU has no bf16 fast mode");
        TrainingSettings settings = netdraft::tests::quickSettings();
        settings.precision = "bf16";
        settings.channelsLast = true;
        settings.epochs = 3;
        PreparedData data;
        data.train = halves(320, 1);
        data.validation = halves(96, 2);
        TrainerOptions options;
        options.prefetch = false;
        Trainer trainer(buildModel(smallConvNet(), 3), data, settings, options);
        const TrainingResult result = trainer.run();
        QCOMPARE(result.reason, StopReason::Completed);
        QVERIFY(result.lastValidation && result.lastValidation->accuracy);
        QVERIFY2(*result.lastValidation->accuracy > 0.9,
            qPrintable(QString("validation accuracy %1").arg(*result.lastValidation->accuracy)));
        for (const torch::Tensor& parameter : trainer.model()->parameters())
            QCOMPARE(parameter.scalar_type(), torch::kFloat);
    }

    void fp16OnCpuFailsTheRunClearly()
    {
        TrainingSettings settings = netdraft::tests::quickSettings();
        settings.precision = "fp16";
        PreparedData data;
        data.train = halves(32, 1);
        Trainer trainer(buildModel(smallConvNet(), 3), data, settings);
        const TrainingResult result = trainer.run();
        QCOMPARE(result.reason, StopReason::Failed);
        QVERIFY2(result.message.find("fp16 needs a CUDA device") != std::string::npos, result.message.c_str());
    }
};

NETDRAFT_TEST(MixedPrecisionTest);
#include "MixedPrecisionTest.moc"
