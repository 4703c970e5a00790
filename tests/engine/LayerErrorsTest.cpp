// Impossible layer settings are reported on the block with a message that says what is wrong.

#include "engine/graph/GraphBuilder.h"
#include "engine/inference/ShapeInference.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

using namespace netdraft::engine;

namespace {

/// One block of `type` after an Input of `input`, and the message expected on it.
struct ErrorCase {
    const char* name;
    IntList input;
    std::string type;
    ParamMap params;
    std::string expected;
};

const std::vector<ErrorCase>& singleBlockCases()
{
    static const std::vector<ErrorCase> cases {
        { "rank mismatch", { 10 }, "Conv2d", {},
            "Conv2d expects a N\u00d7C\u00d7H\u00d7W input (rank 4), got N\u00d710 (rank 2)" },
        { "recurrent rank", { 3, 8, 8 }, "LSTM", {},
            "LSTM expects a N\u00d7T\u00d7features input (rank 3), got N\u00d73\u00d78\u00d78 (rank 4)" },
        { "batch norm rank", { 3, 8, 8 }, "BatchNorm1d", {},
            "BatchNorm1d expects a N\u00d7C or N\u00d7C\u00d7L input (rank 2 or 3)" },
        { "kernel too large", { 1, 4, 4 }, "MaxPool2d", { { "kernel_size", int64_t(5) }, { "stride", int64_t(1) } },
            "kernel 5\u00d75 is larger than the padded input 4\u00d74 + padding 0\u00d70" },
        { "conv1d kernel too large", { 2, 6 }, "Conv1d", { { "kernel_size", int64_t(4) }, { "dilation", int64_t(2) } },
            "kernel 4 (dilated to 7) is larger than the padded input 6 + padding 0" },
        { "same needs stride 1", { 3, 8, 8 }, "Conv2d",
            { { "padding", std::string("same") }, { "stride", int64_t(2) } }, "padding 'same' needs stride 1" },
        { "groups not dividing", { 3, 8, 8 }, "Conv2d", { { "groups", int64_t(2) } },
            "groups 2 must divide in_channels 3 (each group reads in_channels / groups channels)" },
        { "reshape element count", { 2, 3, 4 }, "Reshape", { { "shape", IntList { 5, 5 } } },
            "shape 5\u00d75 has 25 elements but each sample 2\u00d73\u00d74 has 24" },
        { "reshape wildcard", { 2, 3, 4 }, "Reshape", { { "shape", IntList { 5, -1 } } },
            "shape 5\u00d7-1 cannot hold the 24 elements of 2\u00d73\u00d74" },
        { "group norm groups", { 6, 4, 4 }, "GroupNorm", { { "num_groups", int64_t(4) } },
            "num_groups 4 must divide the 6 channels of N\u00d76\u00d74\u00d74" },
        { "pinned in_features", { 12 }, "Linear", { { "in_features", int64_t(10) } },
            "Linear expects 10 input features but receives 12" },
        { "pinned in_channels", { 3, 8, 8 }, "Conv2d", { { "in_channels", int64_t(1) } },
            "Conv2d expects 1 input channels but receives 3" },
        { "pinned num_features", { 4, 5, 5 }, "BatchNorm2d", { { "num_features", int64_t(5) } },
            "BatchNorm2d expects 5 channels but receives 4" },
        { "pinned input_size", { 6, 5 }, "GRU", { { "input_size", int64_t(8) } },
            "GRU expects 8 features per time step but receives 5" },
        { "pinned normalized_shape", { 5, 8 }, "LayerNorm", { { "normalized_shape", IntList { 4 } } },
            "normalized_shape 4 does not match the last dimensions 8 of the input N\u00d75\u00d78" },
        { "output_padding", { 4, 5, 5 }, "ConvTranspose2d", { { "output_padding", int64_t(2) } },
            "output_padding 2\u00d72 must be smaller than stride 2\u00d72 or dilation 1\u00d71" },
        { "pool padding", { 3, 8, 8 }, "AvgPool2d", { { "padding", int64_t(2) } },
            "padding 2\u00d72 must be at most half of kernel_size 2\u00d72" },
        { "softmax dim", { 4, 6 }, "Softmax", { { "dim", int64_t(3) } },
            "dim 3 is out of range for the 3-dimensional input" },
        { "softmax batch", { 6 }, "LogSoftmax", { { "dim", int64_t(0) } }, "dim 0 selects the batch dimension" },
        { "reflect padding", { 2, 3 }, "Conv1d",
            { { "padding_mode", std::string("reflect") }, { "padding", int64_t(3) } },
            "padding_mode 'reflect' needs padding of at most 2 for the input 3, got 3" },
        { "depthwise groups and out_channels", { 4, 8, 8 }, "Conv2d",
            { { "groups", int64_t(4) }, { "out_channels", int64_t(6) } },
            "groups 4 must divide out_channels 6 (each group makes out_channels / groups channels)" },
        { "conv3d rank", { 3, 8, 8 }, "Conv3d", {},
            "Conv3d expects a N\u00d7C\u00d7D\u00d7H\u00d7W input (rank 5), got N\u00d73\u00d78\u00d78 (rank 4)" },
        { "prelu slopes", { 6, 4, 4 }, "PReLU", { { "num_parameters", int64_t(4) } },
            "PReLU num_parameters 4 must be 1 or the 6 channels of the input N\u00d76\u00d74\u00d74" },
        { "hardtanh range", { 5 }, "Hardtanh", { { "min_val", 1.0 }, { "max_val", 1.0 } },
            "max_val 1.0 must be greater than min_val 1.0" },
        { "local response norm rank", { 10 }, "LocalResponseNorm", {},
            "LocalResponseNorm expects a N\u00d7C\u00d7L, N\u00d7C\u00d7H\u00d7W or N\u00d7C\u00d7D\u00d7H\u00d7W "
            "input (rank 3 to 5), got N\u00d710 (rank 2)" },
        { "instance norm rank", { 10 }, "InstanceNorm1d", {},
            "InstanceNorm1d expects a N\u00d7C\u00d7L input (rank 3), got N\u00d710 (rank 2)" },
        { "pool1d padding", { 3, 8 }, "MaxPool1d", { { "padding", int64_t(2) } },
            "padding 2 must be at most half of kernel_size 2" },
        { "attention heads", { 6, 10 }, "MultiheadAttention", { { "num_heads", int64_t(4) } },
            "MultiheadAttention: embed_dim 10 is not divisible by num_heads 4; choose num_heads among the divisors "
            "of 10" },
        { "attention ports", { 6, 8 }, "MultiheadAttention", { { "self_attention", false } },
            "input 'key' is not connected" },
        { "transformer rank", { 8 }, "TransformerEncoderLayer", {},
            "TransformerEncoderLayer expects a N\u00d7T\u00d7d_model input (rank 3), got N\u00d78 (rank 2)" },
        { "patch size", { 3, 10, 8 }, "PatchEmbedding", { { "patch_size", int64_t(4) } },
            "PatchEmbedding: patch_size 4 does not divide the image size 10\u00d78" },
        { "positions beyond max_len", { 20, 8 }, "PositionalEncoding", { { "max_len", int64_t(16) } },
            "the sequence has 20 positions but max_len is 16; raise max_len to at least 20" },
        // Shape and arithmetic of issue 19.
        { "permute repeated dim", { 3, 4, 5 }, "Permute", { { "dims", IntList { 2, 2, 1 } } },
            "dims [2, 2, 1] repeats dimension 2 of N\u00d73\u00d74\u00d75; list each of 1 \u2026 3 once" },
        { "permute length", { 3, 4, 5 }, "Permute", { { "dims", IntList { 2, 1 } } },
            "dims [2, 1] has 2 entries but the input N\u00d73\u00d74\u00d75 has 3 dimensions after the batch" },
        { "permute batch", { 3, 4 }, "Permute", { { "dims", IntList { 0, 2 } } },
            "dims [0, 2] moves the batch dimension of N\u00d73\u00d74" },
        { "transpose batch", { 3, 4 }, "Transpose", { { "dim0", int64_t(0) } }, "dim0 0 selects the batch dimension" },
        { "split sizes", { 6, 4 }, "Split", { { "sizes", IntList { 2, 3 } } },
            "sizes [2, 3] add up to 5 but dim 1 of N\u00d76\u00d74 has size 6" },
        { "chunk pieces", { 5, 4 }, "Chunk", { { "chunks", int64_t(4) } },
            "chunks 4 cannot cut size 5 of dim 1 (N\u00d75\u00d74) into 4 pieces: torch.chunk gives 3 ([2, 2, 1])" },
        { "empty slice", { 6, 4 }, "Slice", { { "start", int64_t(4) }, { "end", int64_t(2) } },
            "start 4 to end 2 of dim 1 (size 6 in N\u00d76\u00d74) selects nothing" },
        { "select index", { 5, 8 }, "Select", { { "index", int64_t(5) } },
            "index 5 is out of range for dim 1 of size 5 in N\u00d75\u00d78 (expected -5 to 4)" },
        { "squeeze size", { 3, 4 }, "Squeeze", { { "dim", int64_t(2) } },
            "dim 2 of N\u00d73\u00d74 has size 4; only a dimension of size 1 can be removed" },
        { "unsqueeze before batch", { 3 }, "Unsqueeze", { { "dim", int64_t(0) } },
            "dim 0 is out of range for inserting into N\u00d73 (expected 1 to 2" },
        { "zero pad rank", { 8 }, "ZeroPad2d", {}, "ZeroPad2d expects a N\u00d7C\u00d7H\u00d7W input (rank 4), got N\u00d78 (rank 2)" },
        { "pixel shuffle channels", { 6, 4, 4 }, "PixelShuffle", {},
            "PixelShuffle needs channels divisible by upscale_factor\u00b2 = 4, got 6 in N\u00d76\u00d74\u00d74" },
        { "mean batch", { 4, 5 }, "Mean", { { "dims", IntList { 0 } } }, "dims 0 selects the batch dimension of N\u00d74\u00d75" },
        { "sum repeated dim", { 4, 5 }, "Sum", { { "dims", IntList { 1, -2 } } },
            "dims [1, -2] names dimension 1 of N\u00d74\u00d75 twice" },
    };
    return cases;
}

std::string errorsOf(const InferenceResult& result, const std::string& id)
{
    std::string text;
    for (const std::string& error : result.find(id)->errors)
        text += error + "\n";
    return text;
}

} // namespace

class LayerErrorsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void singleBlockErrors_data()
    {
        QTest::addColumn<int>("index");
        for (size_t i = 0; i < singleBlockCases().size(); ++i)
            QTest::newRow(singleBlockCases()[i].name) << int(i);
    }

    void singleBlockErrors()
    {
        QFETCH(int, index);
        const ErrorCase& errorCase = singleBlockCases().at(static_cast<size_t>(index));
        GraphBuilder builder;
        builder.input(errorCase.input).then(errorCase.type, errorCase.params, "bad").output("regression");
        const InferenceResult result = inferShapes(builder.graph());
        const std::string errors = errorsOf(result, "bad");
        QVERIFY2(errors.find(errorCase.expected) != std::string::npos, errors.c_str());
        QVERIFY(!result.find("bad")->output.has_value());
        QVERIFY(result.find("input")->errors.empty());
    }

    void addWithDifferentShapesNamesBoth()
    {
        GraphBuilder builder;
        builder.input({ 3, 8, 8 })
            .then("Conv2d", { { "out_channels", int64_t(4) }, { "padding", int64_t(1) } }, "conv")
            .then("Add", {}, "add")
            .connect("input", "add", "in2")
            .output("regression");
        const InferenceResult result = inferShapes(builder.graph());
        const std::string errors = errorsOf(result, "add");
        QVERIFY2(errors.find("Add needs inputs of equal shape: in1 is N\u00d74\u00d78\u00d78 but in2 is "
                             "N\u00d73\u00d78\u00d78")
                != std::string::npos,
            errors.c_str());
        QVERIFY(result.find("conv")->errors.empty());
    }

    void multiplyStretchesSizesOfOne()
    {
        // A squeeze-and-excitation gate: the pooled N×4×1×1 times the N×4×8×8 features is N×4×8×8,
        // as in PyTorch; sizes that are neither equal nor 1 are an error naming both inputs.
        GraphBuilder builder;
        builder.input({ 3, 8, 8 })
            .then("Conv2d", { { "out_channels", int64_t(4) }, { "padding", int64_t(1) } }, "conv")
            .then("AdaptiveAvgPool2d", { { "output_size", IntList { 1, 1 } } }, "pool")
            .then("Multiply", {}, "gate")
            .connect("conv", "gate", "in2")
            .then("Flatten", {}, "flatten")
            .then("Linear", { { "out_features", int64_t(2) } }, "fc")
            .output();
        const InferenceResult result = inferShapes(builder.graph());
        QVERIFY2(errorsOf(result, "gate").empty(), errorsOf(result, "gate").c_str());
        QCOMPARE(result.find("gate")->output->toString(), std::string("N\u00d74\u00d78\u00d78"));

        GraphBuilder wrong;
        wrong.input({ 3, 8, 8 })
            .then("AdaptiveAvgPool2d", { { "output_size", IntList { 2, 1 } } }, "pool")
            .then("Multiply", {}, "gate")
            .connect("input", "gate", "in2")
            .output("regression");
        const std::string errors = errorsOf(inferShapes(wrong.graph()), "gate");
        QVERIFY2(errors.find("Multiply needs inputs whose sizes are equal or 1 (stretched to the other's): in1 is "
                             "N\u00d73\u00d72\u00d71 but in2 is N\u00d73\u00d78\u00d78")
                != std::string::npos,
            errors.c_str());
    }

    void concatChecksEveryDimensionButDim()
    {
        GraphBuilder builder;
        builder.input({ 3, 8, 8 })
            .then("MaxPool2d", {}, "pool")
            .then("Concat", {}, "cat")
            .connect("input", "cat", "in2")
            .output("regression");
        const std::string errors = errorsOf(inferShapes(builder.graph()), "cat");
        QVERIFY2(errors.find("Concat along dim 1 needs inputs equal in every other dimension: in1 is "
                             "N\u00d73\u00d74\u00d74 but in2 is N\u00d73\u00d78\u00d78")
                != std::string::npos,
            errors.c_str());
    }

    void twoInputErrorsNameBothShapes_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("expected");
        QTest::newRow("matmul inner sizes") << "MatMul"
                                            << "MatMul needs in1's last size to equal in2's second-to-last: in1 is "
                                               "N\u00d74\u00d75 and in2 is N\u00d74\u00d74 (5 \u2260 4)";
        QTest::newRow("subtract broadcast") << "Subtract"
                                            << "Subtract cannot broadcast in1 N\u00d74\u00d75 with in2 "
                                               "N\u00d74\u00d74: dimension 2 is 5 vs 4";
        QTest::newRow("divide rank") << "Divide"
                                     << "Divide needs inputs of equal rank to broadcast: in1 is N\u00d74\u00d75 "
                                        "(rank 3) but in2 is N\u00d720 (rank 2)";
    }

    /// in1 is N×4×5; in2 is N×4×4 (a Slice of in1) or N×20 (a Flatten of in1).
    void twoInputErrorsNameBothShapes()
    {
        QFETCH(QString, type);
        QFETCH(QString, expected);
        GraphBuilder builder;
        builder.input({ 4, 5 })
            .then("Slice", { { "dim", int64_t(2) }, { "end", int64_t(4) } }, "slice")
            .from("input")
            .then("Flatten", {}, "flat")
            .add(type.toStdString(), {}, "op")
            .connect("input", "op", "in1")
            .connect(type == "Divide" ? "flat" : "slice", "op", "in2")
            .from("op")
            .output("regression");
        const std::string errors = errorsOf(inferShapes(builder.graph()), "op");
        QVERIFY2(errors.find(expected.toStdString()) != std::string::npos, errors.c_str());
    }

    void unconnectedMergePortIsReported()
    {
        GraphBuilder builder;
        builder.input({ 5 })
            .then("Multiply", { { "num_inputs", int64_t(3) } }, "mul")
            .connect("input", "mul", "in2")
            .output("regression");
        const std::string errors = errorsOf(inferShapes(builder.graph()), "mul");
        QVERIFY2(errors.find("input 'in3' is not connected") != std::string::npos, errors.c_str());
    }
};

NETDRAFT_TEST(LayerErrorsTest);
#include "LayerErrorsTest.moc"
