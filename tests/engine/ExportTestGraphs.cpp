#include "tests/engine/ExportTestGraphs.h"

#include "engine/graph/GraphBuilder.h"
#include "engine/layers/LayerRegistry.h"

namespace netdraft::tests {

using engine::GraphBuilder;
using engine::IntList;
using engine::ParamMap;

engine::Graph residualBlock()
{
    GraphBuilder builder;
    builder.input({4, 8, 8})
        .then("Conv2d", {{"out_channels", int64_t(4)}, {"padding", int64_t(1)}}, "conv_a")
        .then("BatchNorm2d", {}, "bn_a")
        .then("ReLU", {}, "relu_a")
        .then("Conv2d", {{"out_channels", int64_t(4)}, {"padding", int64_t(1)}}, "conv_b")
        .add("Add", {}, "sum")
        .connect("conv_b", "sum", "in1")
        .connect("input", "sum", "in2")
        .then("ReLU", {}, "relu_out")
        .then("Flatten", {}, "flatten")
        .then("Dropout", {}, "drop")
        .then("Linear", {{"out_features", int64_t(3)}}, "fc")
        .output();
    return builder.graph();
}

engine::Graph lstmClassifier()
{
    GraphBuilder builder;
    builder.input({12, 5})
        .then("LSTM", {{"hidden_size", int64_t(8)}, {"output", std::string("last")}}, "lstm")
        .then("Linear", {{"out_features", int64_t(4)}}, "fc")
        .output();
    return builder.graph();
}

engine::Graph attentionNetwork()
{
    GraphBuilder builder;
    builder.input({3, 8, 8})
        .then("PatchEmbedding", {{"embed_dim", int64_t(16)}, {"patch_size", int64_t(4)}}, "patch")
        .then("ClassToken", {}, "cls")
        .then("PositionalEncoding", {{"max_len", int64_t(16)}}, "pos")
        .then("TransformerEncoderLayer",
              {{"nhead", int64_t(2)}, {"dim_feedforward", int64_t(32)}, {"norm_first", true},
               {"activation", std::string("gelu")}},
              "enc1")
        .then("TransformerEncoderLayer", {{"nhead", int64_t(4)}, {"dim_feedforward", int64_t(24)}, {"causal", true}},
              "enc2")
        .then("MultiheadAttention", {{"num_heads", int64_t(2)}, {"causal", true}}, "attn")
        .then("LearnedPositionalEmbedding", {{"max_len", int64_t(8)}}, "learned")
        .then("TransformerDecoderLayer",
              {{"nhead", int64_t(2)}, {"dim_feedforward", int64_t(32)}, {"causal", true}, {"norm_first", true}},
              "dec")
        .connect("patch", "dec", "memory")
        .then("MultiheadAttention", {{"num_heads", int64_t(4)}, {"self_attention", false}, {"bias", false}}, "cross")
        .connect("patch", "cross", "key")
        .connect("patch", "cross", "value")
        .then("MultiheadAttention", {{"num_heads", int64_t(2)}, {"mask_input", true}}, "masked")
        .add("Linear", {{"out_features", int64_t(5)}}, "maskfc") // a float N×T×S mask computed from enc1
        .connect("enc1", "maskfc")
        .connect("maskfc", "masked", "mask")
        .from("masked")
        .then("TransformerEncoderLayer", {{"nhead", int64_t(2)}, {"dim_feedforward", int64_t(16)}, {"mask_input", true}},
              "maskedenc")
        .connect("maskfc", "maskedenc", "mask") // the same mask as src_mask
        .from("maskedenc")
        .then("ScaledDotProductAttention", {}, "sdpa")
        .connect("enc2", "sdpa", "key")
        .connect("cls", "sdpa", "value")
        .then("Flatten", {}, "flatten")
        .then("Linear", {{"out_features", int64_t(3)}}, "fc")
        .output();
    return builder.graph();
}

std::vector<SingleLayerCase> singleLayerCases()
{
    struct Row {
        const char* type;
        IntList shape;
        ParamMap params;
    };
    const IntList image{3, 8, 8};
    const IntList features{12};
    const IntList sequence{5, 4};
    const std::vector<Row> rows{
        {"Conv2d", image, {{"out_channels", int64_t(4)}, {"padding", int64_t(1)}}},
        {"Conv1d", {3, 16}, {{"out_channels", int64_t(4)}}},
        {"ConvTranspose2d", image, {{"out_channels", int64_t(4)}}},
        {"Linear", features, {{"out_features", int64_t(5)}}},
        {"MaxPool2d", image, {}},
        {"AvgPool2d", image, {}},
        {"AdaptiveAvgPool2d", image, {{"output_size", int64_t(2)}}},
        {"GlobalAvgPool", image, {}},
        {"BatchNorm2d", image, {}},
        {"BatchNorm1d", features, {}},
        {"GroupNorm", {4, 8, 8}, {{"num_groups", int64_t(2)}}},
        {"LayerNorm", features, {}},
        {"Dropout", features, {}},
        {"Dropout2d", image, {}},
        {"ReLU", features, {}},
        {"ELU", features, {}},
        {"GELU", features, {}},
        {"LeakyReLU", features, {}},
        {"SiLU", features, {}},
        {"Sigmoid", features, {}},
        {"Tanh", features, {}},
        {"Identity", features, {}},
        {"Softmax", features, {}},
        {"LogSoftmax", features, {}},
        {"Flatten", image, {}},
        {"Reshape", features, {{"shape", IntList{3, 4}}}},
        {"Upsample", {3, 4, 4}, {}},
        {"Embedding", {7}, {{"num_embeddings", int64_t(20)}, {"embedding_dim", int64_t(6)}}},
        {"LSTM", sequence, {{"hidden_size", int64_t(6)}}},
        {"GRU", sequence, {{"hidden_size", int64_t(6)}}},
        {"RNN", sequence, {{"hidden_size", int64_t(6)}}},
        // Issue 19: activations, normalisation, convolution and pooling.
        {"PReLU", image, {{"num_parameters", int64_t(3)}}},
        {"ReLU6", features, {}},
        {"Hardtanh", features, {{"min_val", -0.5}, {"max_val", 0.75}}},
        {"Hardswish", features, {}},
        {"Hardsigmoid", features, {}},
        {"Mish", features, {}},
        {"Softplus", features, {{"beta", 2.0}, {"threshold", 1.5}}},
        {"InstanceNorm1d", {3, 10}, {}},
        {"InstanceNorm2d", image, {{"affine", true}, {"track_running_stats", true}}},
        {"LocalResponseNorm", image, {{"size", int64_t(2)}}},
        {"Conv3d", {3, 4, 6, 6}, {{"out_channels", int64_t(4)}, {"padding", int64_t(1)}}},
        {"MaxPool1d", {3, 16}, {}},
        {"AvgPool1d", {3, 16}, {}},
        {"AdaptiveMaxPool2d", image, {{"output_size", IntList{3, 2}}}},
        {"AdaptiveAvgPool1d", {3, 16}, {{"output_size", int64_t(5)}}},
        // Issue 19: attention and transformers (every port of the layer reads the input).
        {"MultiheadAttention", {5, 8}, {{"num_heads", int64_t(2)}}},
        {"ScaledDotProductAttention", {5, 8}, {{"causal", true}}},
        {"TransformerEncoderLayer", {5, 8}, {{"nhead", int64_t(2)}, {"dim_feedforward", int64_t(16)}}},
        {"TransformerDecoderLayer", {5, 8}, {{"nhead", int64_t(2)}, {"dim_feedforward", int64_t(16)}, {"causal", true}}},
        {"PositionalEncoding", {5, 8}, {}},
        {"LearnedPositionalEmbedding", {5, 8}, {{"max_len", int64_t(8)}}},
        {"ClassToken", {5, 8}, {}},
        {"PatchEmbedding", image, {{"embed_dim", int64_t(6)}, {"patch_size", int64_t(4)}}},
        // Issue 19: shape and arithmetic (MatMul, Subtract and Divide read the input on both ports).
        {"Permute", image, {{"dims", IntList{2, 3, 1}}}},
        {"Transpose", sequence, {}},
        {"Slice", sequence, {{"start", int64_t(1)}, {"end", int64_t(4)}, {"step", int64_t(2)}}},
        {"Select", sequence, {{"index", int64_t(-1)}}},
        {"Squeeze", {1, 12}, {}},
        {"Unsqueeze", features, {{"dim", int64_t(-1)}}},
        {"ZeroPad2d", image, {{"left", int64_t(0)}, {"right", int64_t(2)}, {"top", int64_t(1)}, {"bottom", int64_t(3)}}},
        {"PixelShuffle", {8, 3, 3}, {}},
        {"MatMul", {4, 4}, {}},
        {"Subtract", features, {}},
        {"Divide", features, {}},
        {"Scale", features, {{"scale", 0.5}, {"bias", 1.0}}},
        {"ChannelAffine", image, {{"learn_shift", false}}},
        {"Mean", image, {{"dims", IntList{2, 3}}}},
        {"Sum", image, {{"dims", IntList{1, -1}}, {"keepdim", true}}},
        {"Max", image, {{"dims", IntList{2, 3}}}},
    };
    std::vector<SingleLayerCase> cases;
    for (const Row& row : rows) {
        SingleLayerCase item{row.type, {}};
        if (engine::LayerRegistry::instance().find(row.type)) {
            GraphBuilder builder;
            builder.input(row.shape).then(row.type, row.params, "layer");
            const auto* type = engine::LayerRegistry::instance().find(row.type);
            const auto ports = type->description().inputPorts(builder.graph().block("layer").params);
            for (size_t port = 1; port < ports.size(); ++port)
                builder.connect("input", "layer", ports[port]);
            builder.from("layer").output("regression");
            item.graph = builder.graph();
            if (std::string(row.type) == "Embedding")
                item.graph.block("input").params["dtype"] = std::string("int64");
        }
        cases.push_back(std::move(item));
    }
    // Blocks with several outputs: every output into one Concat, in a shuffled order.
    struct MultiOutputRow {
        const char* type;
        IntList shape;
        ParamMap params;
        std::vector<const char*> order; ///< the output ports feeding the Concat's in1, in2, ...
    };
    const std::vector<MultiOutputRow> multiOutputRows{
        {"Split", {6, 4}, {{"sizes", IntList{2, 4}}}, {"out2", "out1"}},
        {"Chunk", {5, 4}, {{"chunks", int64_t(3)}}, {"out3", "out1", "out2"}},
    };
    for (const MultiOutputRow& row : multiOutputRows) {
        SingleLayerCase item{row.type, {}};
        if (engine::LayerRegistry::instance().find(row.type)) {
            GraphBuilder builder;
            builder.input(row.shape).then(row.type, row.params, "layer");
            builder.add("Concat", {{"num_inputs", int64_t(row.order.size())}}, "join");
            for (size_t i = 0; i < row.order.size(); ++i)
                builder.connect("layer", "join", "in" + std::to_string(i + 1), row.order[i]);
            builder.from("join").output("regression");
            item.graph = builder.graph();
        }
        cases.push_back(std::move(item));
    }
    // Merge layers take the input twice.
    for (const char* type : {"Add", "Multiply", "Concat"}) {
        SingleLayerCase item{type, {}};
        if (engine::LayerRegistry::instance().find(type)) {
            GraphBuilder builder;
            builder.input(features).add(type, {}, "layer").connect("input", "layer", "in1").connect("input", "layer", "in2");
            builder.from("layer").output("regression");
            item.graph = builder.graph();
        }
        cases.push_back(std::move(item));
    }
    return cases;
}

engine::GraphModel trainedLikeModel(const engine::Graph& graph, uint64_t seed)
{
    engine::GraphModel model = engine::buildModel(graph, seed);
    const engine::ExportMetadata metadata = engine::metadataFromGraph(graph);
    torch::NoGradGuard noGrad;
    model->train();
    for (int i = 0; i < 3; ++i) {
        torch::Tensor batch = randomBatch(metadata, 8);
        if (batch.is_floating_point())
            batch = batch * 2 + 0.5; // statistics away from the initial 0 / 1
        model->forward(batch);
    }
    model->eval();
    return model;
}

torch::Tensor randomBatch(const engine::ExportMetadata& metadata, int64_t batch, int64_t vocabulary)
{
    std::vector<int64_t> shape{batch};
    shape.insert(shape.end(), metadata.inputShape.begin(), metadata.inputShape.end());
    if (metadata.inputDtype == "int64")
        return torch::randint(0, vocabulary, shape, torch::kInt64);
    return torch::randn(shape);
}

} // namespace netdraft::tests
