// MultiheadAttention's mask input (issue 19): the block's output equals LibTorch's
// torch::nn::MultiheadAttention given the same attn_mask and weights, its exports compute the same,
// and a mask of the wrong shape is an error on the block.

#include <torch/torch.h>

#include "engine/export/TorchScriptExport.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/inference/ShapeInference.h"
#include "engine/layers/AttentionModules.h"
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

constexpr int64_t kMaskBatch = 4;
constexpr int64_t kMaskQueries = 6;
constexpr int64_t kMaskEmbed = 12;
constexpr int64_t kMaskHeads = 3;

/// Input N×6×12 → attention "attn" (3 heads, mask port on), its mask computed from the input
/// (addMaskFromInput: N×T×S, or with `perHead` N×heads×T×S). Without `selfAttention` key and value are a
/// ClassToken after the input (S = T + 1).
Graph maskedAttentionGraph(bool selfAttention, bool perHead)
{
    const int64_t keys = selfAttention ? kMaskQueries : kMaskQueries + 1;
    GraphBuilder builder;
    builder.input({ kMaskQueries, kMaskEmbed });
    const std::string mask = addMaskFromInput(builder, kMaskQueries, keys, kMaskHeads, perHead);
    builder.add("MultiheadAttention",
        { { "num_heads", kMaskHeads }, { "self_attention", selfAttention }, { "mask_input", true } }, "attn");
    builder.connect("input", "attn", "query").connect(mask, "attn", "mask");
    if (!selfAttention) {
        builder.add("ClassToken", {}, "memory").connect("input", "memory");
        builder.connect("memory", "attn", "key").connect("memory", "attn", "value");
    }
    builder.from("attn").output("regression");
    return builder.graph();
}

/// LibTorch's time-first nn::MultiheadAttention with the block's weights.
torch::nn::MultiheadAttention libTorchModule(GraphModel& model)
{
    torch::nn::MultiheadAttention attention(torch::nn::MultiheadAttentionOptions(kMaskEmbed, kMaskHeads));
    copyBlockWeights(model, "attn", attention);
    return attention;
}

/// PyTorch's answer on batch-first tensors for attn_mask `attnMask`: T×S, or (N·heads)×T×S with a sample's
/// heads together. The module itself for T×S and for masks shared by a sample's heads (one sample at a
/// time); attentionWrittenOut for masks that differ by head.
torch::Tensor libTorchAttention(
    GraphModel& model, const torch::Tensor& query, const torch::Tensor& memory, const torch::Tensor& attnMask)
{
    // LibTorch 1.13's C++ module adds any mask (true counts as 1); PyTorch (nn.MultiheadAttention in
    // Python, _canonical_mask) turns a bool mask into -inf where it is true, which is what is compared.
    const torch::Tensor mask = additiveMask(attnMask);
    torch::nn::MultiheadAttention attention = libTorchModule(model);
    torch::NoGradGuard noGrad;
    auto timeFirst = [&](const torch::Tensor& q, const torch::Tensor& m, const torch::Tensor& attnMask) {
        return std::get<0>(
            attention->forward(q.transpose(0, 1), m.transpose(0, 1), m.transpose(0, 1), {}, false, attnMask))
            .transpose(0, 1);
    };
    if (!mask.defined() || mask.dim() == 2)
        return timeFirst(query, memory, mask);
    const torch::Tensor byHead = mask.reshape({ query.size(0), kMaskHeads, query.size(1), memory.size(1) });
    if (!torch::equal(byHead, byHead.narrow(1, 0, 1).expand_as(byHead)))
        return attentionWrittenOut(attention, query, memory, byHead);
    std::vector<torch::Tensor> samples;
    for (int64_t n = 0; n < query.size(0); ++n)
        samples.push_back(timeFirst(query.narrow(0, n, 1), memory.narrow(0, n, 1), byHead[n][0]));
    return torch::cat(samples, 0);
}

} // namespace

class AttentionMaskTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void maskPortFollowsTheParameters()
    {
        const LayerDescription& description = LayerRegistry::instance().find("MultiheadAttention")->description();
        using Ports = std::vector<std::string>;
        QCOMPARE(description.inputPorts({}), (Ports { "query" }));
        QCOMPARE(description.inputPorts({ { "mask_input", true } }), (Ports { "query", "mask" }));
        QCOMPARE(description.inputPorts({ { "self_attention", false } }), (Ports { "query", "key", "value" }));
        QCOMPARE(description.inputPorts({ { "self_attention", false }, { "mask_input", true } }),
            (Ports { "query", "key", "value", "mask" }));
    }

    void writtenOutFormulaEqualsLibTorch()
    {
        GraphModel model = evalModelWithBiases(maskedAttentionGraph(true, false), 23);
        torch::nn::MultiheadAttention attention = libTorchModule(model);
        torch::manual_seed(5);
        const torch::Tensor input = torch::randn({ kMaskBatch, kMaskQueries, kMaskEmbed });
        const torch::Tensor mask = torch::randn({ kMaskQueries, kMaskQueries }) * 2;
        torch::NoGradGuard noGrad;
        for (const torch::Tensor& each : { torch::Tensor(), mask }) {
            const torch::Tensor module = std::get<0>(attention->forward(input.transpose(0, 1), input.transpose(0, 1),
                                                         input.transpose(0, 1), {}, false, each))
                                             .transpose(0, 1);
            QVERIFY(torch::allclose(attentionWrittenOut(attention, input, input, each), module, 1e-5, 1e-5));
        }
    }

    void floatMaskEqualsLibTorch_data()
    {
        QTest::addColumn<bool>("selfAttention");
        QTest::addColumn<bool>("perHead");
        QTest::newRow("self, one mask per sample") << true << false;
        QTest::newRow("cross, one mask per sample") << false << false;
        QTest::newRow("self, one mask per head") << true << true;
        QTest::newRow("cross, one mask per head") << false << true;
    }
    void floatMaskEqualsLibTorch()
    {
        QFETCH(bool, selfAttention);
        QFETCH(bool, perHead);
        GraphModel model = evalModelWithBiases(maskedAttentionGraph(selfAttention, perHead), 23);
        torch::manual_seed(3);
        const torch::Tensor input = torch::randn({ kMaskBatch, kMaskQueries, kMaskEmbed });
        torch::NoGradGuard noGrad;
        const torch::Tensor memory = selfAttention
            ? input
            : torch::cat({ model->named_parameters()["memory.token"].expand({ kMaskBatch, -1, -1 }), input }, 1);
        const int64_t keys = memory.size(1);
        auto linear = std::dynamic_pointer_cast<torch::nn::LinearImpl>(model->blockModule("maskfc"));
        const torch::Tensor computed = linear->forward(input) * 3;
        {
            // The same factor in the graph's Linear, so that the mask moves the weights visibly.
            model->blockModule("maskfc")->named_parameters()["weight"].mul_(3);
            model->blockModule("maskfc")->named_parameters()["bias"].mul_(3);
        }
        // PyTorch's attn_mask: (N·heads)×T×S, a sample's heads together.
        const torch::Tensor attnMask = perHead ? computed.reshape({ kMaskBatch, kMaskQueries, kMaskHeads, keys })
                                                     .permute({ 0, 2, 1, 3 })
                                                     .reshape({ -1, kMaskQueries, keys })
                                               : computed.repeat_interleave(kMaskHeads, 0);
        const torch::Tensor expected = libTorchAttention(model, input, memory, attnMask);
        const torch::Tensor ours = model->forward(input);
        QCOMPARE(ours.sizes().vec(), (std::vector<int64_t> { kMaskBatch, kMaskQueries, kMaskEmbed }));
        QVERIFY(torch::allclose(ours, expected, 1e-5, 1e-5));
        // The mask matters: without it the output differs.
        QVERIFY(!torch::allclose(ours, libTorchAttention(model, input, memory, {}), 1e-3, 1e-3));

        // TorchScript export: the saved module computes the same.
        torch::jit::Module scripted
            = buildTorchScriptModule(maskedAttentionGraph(selfAttention, perHead), *model, ExportMetadata {});
        QVERIFY(torch::allclose(scripted.forward({ input }).toTensor(), expected, 1e-5, 1e-5));
    }

    void boolAndSharedMasksEqualLibTorch_data()
    {
        QTest::addColumn<bool>("boolean");
        QTest::addColumn<bool>("perSample");
        QTest::newRow("bool T×S") << true << false;
        QTest::newRow("bool N×T×S") << true << true;
        QTest::newRow("float T×S") << false << false;
    }
    void boolAndSharedMasksEqualLibTorch()
    {
        // A graph makes float32 or int64 tensors only; a bool mask (an imported model's) reaches the
        // module directly.
        QFETCH(bool, boolean);
        QFETCH(bool, perSample);
        GraphModel model = evalModelWithBiases(maskedAttentionGraph(true, false), 23);
        auto attention = std::dynamic_pointer_cast<MultiheadAttentionModule>(model->blockModule("attn"));
        QVERIFY(attention);
        torch::manual_seed(4);
        const torch::Tensor input = torch::randn({ kMaskBatch, kMaskQueries, kMaskEmbed });
        const std::vector<int64_t> maskShape = perSample
            ? std::vector<int64_t> { kMaskBatch, kMaskQueries, kMaskQueries }
            : std::vector<int64_t> { kMaskQueries, kMaskQueries };
        const torch::Tensor mask = randomSelfAttentionMask(maskShape, boolean);
        torch::NoGradGuard noGrad;
        const torch::Tensor attnMask = perSample ? mask.repeat_interleave(kMaskHeads, 0) : mask;
        const torch::Tensor ours = attention->forward(input, input, input, false, headsMask(mask));
        QVERIFY(torch::allclose(ours, libTorchAttention(model, input, input, attnMask), 1e-5, 1e-5));
        QVERIFY(!torch::allclose(ours, libTorchAttention(model, input, input, {}), 1e-3, 1e-3));
    }

    void integerMaskIsRefusedByName()
    {
        try {
            headsMask(torch::zeros({ kMaskQueries, kMaskQueries }, torch::kLong));
            QFAIL("an int64 mask was taken");
        } catch (const Error& error) {
            QCOMPARE(QString(error.what()),
                "MultiheadAttention: the mask must be bool (true: may not attend) or floating-point (added to the "
                "scores, -inf: may not attend), got long int");
        }
    }

    void wrongMaskShapeIsAnErrorOnTheBlock()
    {
        GraphBuilder builder;
        builder.input({ kMaskQueries, kMaskEmbed })
            .then("Linear", { { "out_features", int64_t(5) } }, "maskfc")
            .add("MultiheadAttention", { { "num_heads", kMaskHeads }, { "mask_input", true } }, "attn")
            .connect("input", "attn", "query")
            .connect("maskfc", "attn", "mask")
            .from("attn")
            .output("regression");
        QCOMPARE(QString::fromStdString(blockErrors(builder.graph(), "attn")),
            "MultiheadAttention: mask N×6×5 must be N×6×6 (one mask per sample), N×3×6×6 (one per head) or 6×6 (one "
            "for every sample): T is the query's length, S the key's\n");
        QVERIFY(inferShapes(builder.graph()).find("maskfc")->errors.empty());
    }

    void causalWithAMaskIsAnError()
    {
        Graph graph = maskedAttentionGraph(true, false);
        graph.block("attn").params["causal"] = true;
        QCOMPARE(QString::fromStdString(blockErrors(graph, "attn")),
            "MultiheadAttention: causal and mask_input are both on; put the causal part into the mask (-inf above "
            "the diagonal) or switch causal off\n");
    }
};

NETDRAFT_TEST(AttentionMaskTest);
#include "AttentionMaskTest.moc"
