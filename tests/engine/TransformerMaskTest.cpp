// The mask inputs of TransformerEncoderLayer (mask: src_mask) and TransformerDecoderLayer (tgt_mask,
// memory_mask), issue 19: the blocks' outputs equal LibTorch's torch::nn::TransformerEncoderLayer and
// TransformerDecoderLayer given the same weights and masks, the TorchScript export computes the same,
// the output changes with the mask, and masks of the wrong shape or with causal are errors on the block.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/export/TorchScriptExport.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/inference/ShapeInference.h"
#include "engine/layers/AttentionModules.h"
#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/model/GraphModel.h"
#include "tests/engine/AttentionMaskFixtures.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

using namespace netdraft::engine;
using netdraft::tests::additiveMask;
using netdraft::tests::addMaskFromInput;
using netdraft::tests::attentionWrittenOut;
using netdraft::tests::blockErrors;
using netdraft::tests::copyBlockWeights;
using netdraft::tests::evalModelWithBiases;
using netdraft::tests::randomSelfAttentionMask;

namespace {

constexpr int64_t kBatch = 3;
constexpr int64_t kLength = 6;
constexpr int64_t kModel = 12;
constexpr int64_t kHeads = 3;
constexpr int64_t kHidden = 16;
constexpr int64_t kMemory = kLength + 1; // a ClassToken before the input

const ParamMap& layerParams()
{
    static const ParamMap params { { "nhead", kHeads }, { "dim_feedforward", kHidden } };
    return params;
}

/// Input N×6×12 → "enc" with its mask computed from the input (addMaskFromInput): N×6×6 (one mask per
/// sample), or with `perHead` N×3×6×6.
Graph encoderGraph(bool perHead)
{
    GraphBuilder builder;
    builder.input({ kLength, kModel });
    const std::string mask = addMaskFromInput(builder, kLength, kLength, kHeads, perHead);
    ParamMap params = layerParams();
    params["mask_input"] = true;
    builder.add("TransformerEncoderLayer", params, "enc").connect("input", "enc", "in").connect(mask, "enc", "mask");
    builder.from("enc").output("regression");
    return builder.graph();
}

/// tgt = input N×6×12, memory = ClassToken(input) N×7×12; tgt_mask N×6×6 from Linear "tgtfc" and
/// memory_mask N×6×7 from Linear "memfc", both on the input.
Graph decoderGraph()
{
    GraphBuilder builder;
    builder.input({ kLength, kModel });
    builder.add("ClassToken", {}, "memory").connect("input", "memory");
    builder.add("Linear", { { "out_features", kLength } }, "tgtfc").connect("input", "tgtfc");
    builder.add("Linear", { { "out_features", kMemory } }, "memfc").connect("input", "memfc");
    ParamMap params = layerParams();
    params["tgt_mask_input"] = true;
    params["memory_mask_input"] = true;
    builder.add("TransformerDecoderLayer", params, "dec")
        .connect("input", "dec", "tgt")
        .connect("memory", "dec", "memory")
        .connect("tgtfc", "dec", "tgt_mask")
        .connect("memfc", "dec", "memory_mask");
    builder.from("dec").output("regression");
    return builder.graph();
}

/// The model in eval mode, biases away from zero and the mask Linears' weights tripled, so that the
/// masks move the attention visibly.
GraphModel evalModel(const Graph& graph)
{
    GraphModel model = evalModelWithBiases(graph, 31);
    torch::NoGradGuard noGrad;
    for (auto& item : model->named_parameters())
        if (item.key().find("fc.") != std::string::npos)
            item.value().mul_(3);
    return model;
}

torch::Tensor linearOf(GraphModel& model, const std::string& id, const torch::Tensor& x)
{
    return std::dynamic_pointer_cast<torch::nn::LinearImpl>(model->blockModule(id))->forward(x);
}

torch::nn::TransformerEncoderLayer libTorchEncoder(GraphModel& model)
{
    torch::nn::TransformerEncoderLayer layer(
        torch::nn::TransformerEncoderLayerOptions(kModel, kHeads).dim_feedforward(kHidden).dropout(0.0));
    copyBlockWeights(model, "enc", layer);
    return layer;
}

torch::nn::TransformerDecoderLayer libTorchDecoder(GraphModel& model)
{
    torch::nn::TransformerDecoderLayer layer(
        torch::nn::TransformerDecoderLayerOptions(kModel, kHeads).dim_feedforward(kHidden).dropout(0.0));
    copyBlockWeights(model, "dec", layer);
    return layer;
}

/// LibTorch's encoder layer on batch-first `x`, one sample at a time with its T×T mask (its C++ module
/// fails on 3-D masks); `masks`: N×T×T, T×T or undefined.
torch::Tensor libTorchEncoded(torch::nn::TransformerEncoderLayer& layer, const torch::Tensor& x, const torch::Tensor& masks)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> samples;
    for (int64_t n = 0; n < x.size(0); ++n) {
        const torch::Tensor mask = masks.defined() && masks.dim() == 3 ? masks[n] : masks;
        samples.push_back(layer->forward(x.narrow(0, n, 1).transpose(0, 1), additiveMask(mask)).transpose(0, 1));
    }
    return torch::cat(samples, 0);
}

/// The post-norm encoder layer written out with LibTorch's module's parts: norm1(x + attention), then
/// norm2(y + linear2(relu(linear1(y)))).
torch::Tensor encoderWrittenOut(torch::nn::TransformerEncoderLayer& layer, const torch::Tensor& x, const torch::Tensor& mask)
{
    torch::NoGradGuard noGrad;
    const torch::Tensor y = layer->norm1(x + attentionWrittenOut(layer->self_attn, x, x, mask));
    return layer->norm2(y + layer->linear2(torch::relu(layer->linear1(y))));
}

} // namespace

class TransformerMaskTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void maskPortsFollowTheParameters()
    {
        using Ports = std::vector<std::string>;
        const LayerRegistry& registry = LayerRegistry::instance();
        const LayerDescription& encoder = registry.find("TransformerEncoderLayer")->description();
        QCOMPARE(encoder.inputPorts({}), (Ports { "in" }));
        QCOMPARE(encoder.inputPorts({ { "mask_input", true } }), (Ports { "in", "mask" }));
        const LayerDescription& decoder = registry.find("TransformerDecoderLayer")->description();
        QCOMPARE(decoder.inputPorts({}), (Ports { "tgt", "memory" }));
        QCOMPARE(decoder.inputPorts({ { "tgt_mask_input", true } }), (Ports { "tgt", "memory", "tgt_mask" }));
        QCOMPARE(decoder.inputPorts({ { "memory_mask_input", true } }), (Ports { "tgt", "memory", "memory_mask" }));
        QCOMPARE(decoder.inputPorts({ { "tgt_mask_input", true }, { "memory_mask_input", true } }),
            (Ports { "tgt", "memory", "tgt_mask", "memory_mask" }));
    }

    void encoderMaskPerSampleEqualsLibTorch()
    {
        const Graph graph = encoderGraph(false);
        GraphModel model = evalModel(graph);
        torch::nn::TransformerEncoderLayer reference = libTorchEncoder(model);
        torch::manual_seed(3);
        const torch::Tensor input = torch::randn({ kBatch, kLength, kModel });
        torch::NoGradGuard noGrad;
        const torch::Tensor mask = linearOf(model, "maskfc", input);
        const torch::Tensor expected = libTorchEncoded(reference, input, mask);
        const torch::Tensor ours = model->forward(input);
        QCOMPARE(ours.sizes().vec(), (std::vector<int64_t> { kBatch, kLength, kModel }));
        QVERIFY(torch::allclose(ours, expected, 1e-5, 1e-5));
        QVERIFY(!torch::allclose(ours, libTorchEncoded(reference, input, {}), 1e-3, 1e-3)); // the mask matters
        torch::jit::Module scripted = buildTorchScriptModule(graph, *model, ExportMetadata {});
        QVERIFY(torch::allclose(scripted.forward({ input }).toTensor(), expected, 1e-5, 1e-5));
    }

    void encoderMaskPerHeadEqualsTheFormula()
    {
        const Graph graph = encoderGraph(true);
        GraphModel model = evalModel(graph);
        torch::nn::TransformerEncoderLayer reference = libTorchEncoder(model);
        torch::manual_seed(4);
        const torch::Tensor input = torch::randn({ kBatch, kLength, kModel });
        torch::NoGradGuard noGrad;
        // The written-out layer equals LibTorch's on masks its module takes (one per sample, by head).
        const torch::Tensor shared = torch::randn({ kBatch, kLength, kLength }) * 2;
        QVERIFY(torch::allclose(encoderWrittenOut(reference, input, shared.unsqueeze(1)),
            libTorchEncoded(reference, input, shared), 1e-5, 1e-5));
        const torch::Tensor mask
            = linearOf(model, "maskfc", input).reshape({ kBatch, kLength, kHeads, kLength }).permute({ 0, 2, 1, 3 });
        const torch::Tensor expected = encoderWrittenOut(reference, input, mask);
        const torch::Tensor ours = model->forward(input);
        QVERIFY(torch::allclose(ours, expected, 1e-5, 1e-5));
        QVERIFY(!torch::allclose(ours, encoderWrittenOut(reference, input, mask.narrow(1, 0, 1)), 1e-3, 1e-3));
        torch::jit::Module scripted = buildTorchScriptModule(graph, *model, ExportMetadata {});
        QVERIFY(torch::allclose(scripted.forward({ input }).toTensor(), expected, 1e-5, 1e-5));
    }

    void encoderBoolAndSharedMasksEqualLibTorch_data()
    {
        QTest::addColumn<bool>("boolean");
        QTest::addColumn<bool>("perSample");
        QTest::newRow("bool T×T") << true << false;
        QTest::newRow("bool N×T×T") << true << true;
        QTest::newRow("float T×T") << false << false;
    }
    void encoderBoolAndSharedMasksEqualLibTorch()
    {
        // A graph makes float32 or int64 tensors only; a bool mask (an imported model's) reaches the module.
        QFETCH(bool, boolean);
        QFETCH(bool, perSample);
        GraphModel model = evalModel(encoderGraph(false));
        auto encoder = std::dynamic_pointer_cast<TransformerEncoderModule>(model->blockModule("enc"));
        QVERIFY(encoder);
        torch::nn::TransformerEncoderLayer reference = libTorchEncoder(model);
        torch::manual_seed(5);
        const torch::Tensor input = torch::randn({ kBatch, kLength, kModel });
        const std::vector<int64_t> shape
            = perSample ? std::vector<int64_t> { kBatch, kLength, kLength } : std::vector<int64_t> { kLength, kLength };
        const torch::Tensor mask = randomSelfAttentionMask(shape, boolean);
        torch::NoGradGuard noGrad;
        const torch::Tensor ours = encoder->forward(input, false, headsMask(mask));
        QVERIFY(torch::allclose(ours, libTorchEncoded(reference, input, mask), 1e-5, 1e-5));
        QVERIFY(!torch::allclose(ours, encoder->forward(input, false), 1e-3, 1e-3));
    }

    void decoderMasksEqualLibTorch()
    {
        const Graph graph = decoderGraph();
        GraphModel model = evalModel(graph);
        torch::nn::TransformerDecoderLayer reference = libTorchDecoder(model);
        torch::manual_seed(6);
        const torch::Tensor input = torch::randn({ kBatch, kLength, kModel });
        torch::NoGradGuard noGrad;
        const torch::Tensor memory
            = torch::cat({ model->named_parameters()["memory.token"].expand({ kBatch, -1, -1 }), input }, 1);
        const torch::Tensor tgtMask = linearOf(model, "tgtfc", input);
        const torch::Tensor memoryMask = linearOf(model, "memfc", input);
        auto decoded = [&](bool withTgtMask, bool withMemoryMask) {
            std::vector<torch::Tensor> samples;
            for (int64_t n = 0; n < kBatch; ++n)
                samples.push_back(reference
                                      ->forward(input.narrow(0, n, 1).transpose(0, 1),
                                          memory.narrow(0, n, 1).transpose(0, 1),
                                          withTgtMask ? tgtMask[n] : torch::Tensor(),
                                          withMemoryMask ? memoryMask[n] : torch::Tensor())
                                      .transpose(0, 1));
            return torch::cat(samples, 0);
        };
        const torch::Tensor expected = decoded(true, true);
        const torch::Tensor ours = model->forward(input);
        QCOMPARE(ours.sizes().vec(), (std::vector<int64_t> { kBatch, kLength, kModel }));
        QVERIFY(torch::allclose(ours, expected, 1e-5, 1e-5));
        // Each mask matters on its own.
        QVERIFY(!torch::allclose(ours, decoded(false, true), 1e-3, 1e-3));
        QVERIFY(!torch::allclose(ours, decoded(true, false), 1e-3, 1e-3));
        torch::jit::Module scripted = buildTorchScriptModule(graph, *model, ExportMetadata {});
        QVERIFY(torch::allclose(scripted.forward({ input }).toTensor(), expected, 1e-5, 1e-5));
    }

    void wrongMaskShapesAreErrorsOnTheBlock()
    {
        Graph encoder = encoderGraph(false);
        encoder.block("maskfc").params["out_features"] = int64_t(5);
        QCOMPARE(QString::fromStdString(blockErrors(encoder, "enc")),
            "TransformerEncoderLayer: mask N×6×5 must be N×6×6 (one mask per sample), N×3×6×6 (one per head) or 6×6 "
            "(one for every sample): T is the sequence's length\n");
        Graph decoder = decoderGraph();
        decoder.block("tgtfc").params["out_features"] = kMemory;
        decoder.block("memfc").params["out_features"] = kLength;
        QCOMPARE(QString::fromStdString(blockErrors(decoder, "dec")),
            "TransformerDecoderLayer: tgt_mask N×6×7 must be N×6×6 (one mask per sample), N×3×6×6 (one per head) or "
            "6×6 (one for every sample): T is the sequence's length\n"
            "TransformerDecoderLayer: memory_mask N×6×6 must be N×6×7 (one mask per sample), N×3×6×7 (one per head) "
            "or 6×7 (one for every sample): T is tgt's length, S memory's\n");
        QVERIFY(blockErrors(decoder, "tgtfc").empty());
    }

    void causalWithASelfAttentionMaskIsAnError()
    {
        Graph encoder = encoderGraph(false);
        encoder.block("enc").params["causal"] = true;
        QCOMPARE(QString::fromStdString(blockErrors(encoder, "enc")),
            "TransformerEncoderLayer: causal and mask_input are both on; put the causal part into the mask (-inf "
            "above the diagonal) or switch causal off\n");
        Graph decoder = decoderGraph();
        decoder.block("dec").params["causal"] = true;
        QCOMPARE(QString::fromStdString(blockErrors(decoder, "dec")),
            "TransformerDecoderLayer: causal and tgt_mask_input are both on; put the causal part into the mask (-inf "
            "above the diagonal) or switch causal off\n");
        // The memory attention is never causal: causal and a memory_mask go together.
        decoder.block("dec").params["tgt_mask_input"] = false;
        decoder.removeBlock("tgtfc");
        QCOMPARE(QString::fromStdString(blockErrors(decoder, "dec")), QString());
    }

    void integerMaskIsRefusedByName()
    {
        const LayerType& type = *LayerRegistry::instance().find("TransformerDecoderLayer");
        ParamMap values = layerParams();
        values["d_model"] = kModel;
        values["memory_mask_input"] = true;
        const std::vector<Shape> inputs { Shape::batched({ kLength, kModel }), Shape::batched({ kMemory, kModel }),
            Shape::batched({ kLength, kMemory }) };
        const BuiltBlock built = type.build({ ParamReader(type.description(), values), inputs, inputs.front() });
        const torch::Tensor tgt = torch::randn({ 1, kLength, kModel });
        const torch::Tensor memory = torch::randn({ 1, kMemory, kModel });
        try {
            built.forward({ tgt, memory, torch::zeros({ 1, kLength, kMemory }, torch::kLong) });
            QFAIL("an int64 mask was taken");
        } catch (const Error& error) {
            QCOMPARE(QString(error.what()),
                "TransformerDecoderLayer: memory_mask must be bool (true: may not attend) or floating-point (added to "
                "the scores, -inf: may not attend), got long int");
        }
        QCOMPARE(built.forward({ tgt, memory, torch::zeros({ 1, kLength, kMemory }) }).sizes().vec(),
            (std::vector<int64_t> { 1, kLength, kModel }));
    }
};

NETDRAFT_TEST(TransformerMaskTest);
#include "TransformerMaskTest.moc"
