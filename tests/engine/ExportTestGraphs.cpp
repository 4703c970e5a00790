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
    };
    std::vector<SingleLayerCase> cases;
    for (const Row& row : rows) {
        SingleLayerCase item{row.type, {}};
        if (engine::LayerRegistry::instance().find(row.type)) {
            GraphBuilder builder;
            builder.input(row.shape).then(row.type, row.params, "layer").output("regression");
            item.graph = builder.graph();
            if (std::string(row.type) == "Embedding")
                item.graph.block("input").params["dtype"] = std::string("int64");
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
