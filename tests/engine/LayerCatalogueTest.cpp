// Every registered layer type, data-driven: its description is complete, its inferred shape equals
// the real output of its module, and its TorchScript export computes what the module computes.
// A type without an entry in the table below fails the test, so no layer can skip it.

#include <torch/script.h>
#include <torch/torch.h>

#include "engine/graph/GraphBuilder.h"
#include "engine/inference/ShapeInference.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/ParamCheck.h"
#include "engine/layers/BuiltBlock.h"
#include "engine/model/GraphModel.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <set>

using namespace netdraft::engine;

namespace {

/// One configuration to test: the per-sample input shape and the parameters besides the defaults.
struct LayerCase {
    IntList input;
    ParamMap params;
};

ParamValue n(int64_t value)
{
    return value;
}
ParamValue word(const char* value)
{
    return std::string(value);
}

const std::map<std::string, std::vector<LayerCase>>& catalogueCases()
{
    static const std::map<std::string, std::vector<LayerCase>> cases {
        { "Input", { { { 3, 8, 8 }, {} }, { { 5 }, {} } } },
        { "Output", { { { 10 }, {} }, { { 4, 6 }, { { "task", word("regression") } } } } },
        { "Identity", { { { 3 }, {} } } },
        // Opaque refuses to run and export by design: its behaviour is tests/import/OpaqueBlockTest.
        { "Opaque", { { { 3 }, { { "op_type", word("CumSum") }, { "output_shape", IntList { 3 } } } } } },
        { "Conv2d",
            { { { 3, 12, 12 }, {} },
                { { 3, 12, 12 },
                    { { "out_channels", n(8) }, { "kernel_size", n(5) }, { "stride", n(2) }, { "padding", n(2) } } },
                { { 3, 12, 12 }, { { "padding", word("same") }, { "dilation", n(2) } } },
                { { 3, 12, 12 },
                    { { "groups", n(3) }, { "out_channels", n(6) }, { "bias", false }, { "padding", word("valid") } } },
                { { 3, 12, 12 }, { { "padding_mode", word("reflect") }, { "padding", IntList { 1, 2 } } } },
                { { 3, 12, 12 },
                    { { "padding_mode", word("circular") }, { "padding", word("same") },
                        { "kernel_size", IntList { 3, 4 } } } } } },
        { "Conv1d",
            { { { 4, 20 }, {} },
                { { 4, 20 }, { { "out_channels", n(6) }, { "kernel_size", n(5) }, { "stride", n(2) } } },
                { { 4, 20 }, { { "padding", word("same") }, { "kernel_size", n(4) } } },
                { { 4, 20 }, { { "padding_mode", word("replicate") }, { "padding", n(2) } } } } },
        { "ConvTranspose2d",
            { { { 4, 5, 5 }, {} },
                { { 4, 5, 5 },
                    { { "kernel_size", n(3) }, { "stride", n(2) }, { "padding", n(1) }, { "output_padding", n(1) } } },
                { { 4, 5, 5 },
                    { { "groups", n(2) }, { "out_channels", n(6) }, { "dilation", n(2) }, { "bias", false } } } } },
        { "MaxPool2d",
            { { { 3, 9, 9 }, {} },
                { { 3, 9, 9 },
                    { { "kernel_size", n(3) }, { "stride", n(2) }, { "padding", n(1) }, { "ceil_mode", true } } },
                { { 3, 9, 9 }, { { "dilation", n(2) } } } } },
        { "AvgPool2d",
            { { { 3, 9, 9 }, {} },
                { { 3, 9, 9 },
                    { { "kernel_size", n(3) }, { "stride", n(2) }, { "padding", n(1) }, { "ceil_mode", true },
                        { "count_include_pad", false } } } } },
        { "AdaptiveAvgPool2d", { { { 3, 9, 7 }, {} }, { { 3, 9, 7 }, { { "output_size", IntList { 4, 3 } } } } } },
        { "GlobalAvgPool", { { { 5, 4, 4 }, {} } } },
        { "Flatten", { { { 3, 4, 5 }, {} }, { { 3, 4, 5 }, { { "start_dim", n(2) } } } } },
        { "Reshape",
            { { { 2, 3, 4 }, {} }, { { 2, 3, 4 }, { { "shape", IntList { 6, 4 } } } },
                { { 2, 3, 4 }, { { "shape", IntList { 3, -1, 2 } } } } } },
        { "Upsample",
            { { { 3, 5, 6 }, {} }, { { 3, 5, 6 }, { { "mode", word("bilinear") } } },
                { { 3, 5, 6 }, { { "size", IntList { 7, 9 } } } },
                { { 3, 5, 6 },
                    { { "scale_factor", 1.5 }, { "mode", word("bilinear") }, { "align_corners", true } } } } },
        { "Linear", { { { 12 }, {} }, { { 5, 12 }, { { "out_features", n(3) }, { "bias", false } } } } },
        { "Embedding", { { { 7 }, {} }, { { 7 }, { { "num_embeddings", n(50) }, { "embedding_dim", n(8) } } } } },
        { "BatchNorm1d",
            { { { 6 }, {} }, { { 6, 10 }, { { "momentum", 0.3 } } }, { { 6 }, { { "affine", false } } } } },
        { "BatchNorm2d",
            { { { 4, 5, 5 }, {} }, { { 4, 5, 5 }, { { "track_running_stats", false } } },
                { { 4, 5, 5 }, { { "eps", 1e-3 } } } } },
        { "LayerNorm",
            { { { 5, 8 }, {} }, { { 5, 8 }, { { "normalized_shape", IntList { 5, 8 } } } },
                { { 5, 8 }, { { "elementwise_affine", false } } } } },
        { "GroupNorm", { { { 8, 3, 3 }, {} }, { { 8, 3, 3 }, { { "num_groups", n(2) }, { "affine", false } } } } },
        { "Dropout", { { { 10 }, {} }, { { 4, 6 }, { { "p", 0.2 } } } } },
        { "Dropout2d", { { { 4, 5, 5 }, {} } } },
        { "ReLU", { { { 4, 6 }, {} } } },
        { "LeakyReLU", { { { 4, 6 }, {} }, { { 4, 6 }, { { "negative_slope", 0.2 } } } } },
        { "ELU", { { { 4, 6 }, {} }, { { 4, 6 }, { { "alpha", 0.5 } } } } },
        { "GELU", { { { 4, 6 }, {} }, { { 4, 6 }, { { "approximate", word("tanh") } } } } },
        { "SiLU", { { { 4, 6 }, {} } } },
        { "Sigmoid", { { { 4, 6 }, {} } } },
        { "Tanh", { { { 4, 6 }, {} } } },
        { "Softmax", { { { 4, 6 }, {} }, { { 4, 6 }, { { "dim", n(1) } } } } },
        { "LogSoftmax", { { { 4, 6 }, {} }, { { 4, 6 }, { { "dim", n(1) } } } } },
        { "Add", { { { 4, 5 }, {} }, { { 4, 5 }, { { "num_inputs", n(3) } } } } },
        { "Multiply", { { { 4, 5 }, {} }, { { 4, 5 }, { { "num_inputs", n(3) } } } } },
        { "Concat",
            { { { 4, 5 }, {} }, { { 4, 5 }, { { "num_inputs", n(3) }, { "dim", n(2) } } },
                { { 4, 5 }, { { "dim", n(-1) } } } } },
        // Activations, normalisation, convolution and pooling of issue 19.
        { "PReLU", { { { 4, 6 }, {} }, { { 4, 5, 5 }, { { "num_parameters", n(4) }, { "init", 0.1 } } } } },
        { "ReLU6", { { { 4, 6 }, {} } } },
        { "Hardtanh", { { { 4, 6 }, {} }, { { 4, 6 }, { { "min_val", -0.5 }, { "max_val", 2.0 } } } } },
        { "Hardswish", { { { 4, 6 }, {} } } },
        { "Hardsigmoid", { { { 4, 6 }, {} } } },
        { "Mish", { { { 4, 6 }, {} } } },
        { "Softplus", { { { 4, 6 }, {} }, { { 4, 6 }, { { "beta", 2.0 }, { "threshold", 1.0 } } } } },
        { "InstanceNorm1d",
            { { { 4, 9 }, {} }, { { 4, 9 }, { { "affine", true }, { "track_running_stats", true } } } } },
        { "InstanceNorm2d",
            { { { 4, 5, 5 }, {} }, { { 4, 5, 5 }, { { "affine", true } } },
                { { 4, 5, 5 }, { { "track_running_stats", true }, { "momentum", 0.3 }, { "eps", 1e-3 } } } } },
        { "LocalResponseNorm",
            { { { 6, 4, 4 }, {} }, { { 6, 7 }, { { "size", n(2) }, { "alpha", 0.1 }, { "k", 2.0 } } },
                { { 6, 3, 4, 4 }, { { "size", n(4) }, { "beta", 0.5 } } } } },
        { "Conv3d",
            { { { 2, 5, 6, 6 }, { { "out_channels", n(4) } } },
                { { 4, 5, 6, 6 },
                    { { "out_channels", n(4) }, { "groups", n(4) }, { "stride", IntList { 1, 2, 2 } },
                        { "padding", n(1) }, { "bias", false } } },
                { { 2, 5, 6, 6 }, { { "out_channels", n(3) }, { "padding", word("same") }, { "kernel_size", n(2) } } } } },
        { "MaxPool1d",
            { { { 3, 9 }, {} },
                { { 3, 9 },
                    { { "kernel_size", n(3) }, { "stride", n(2) }, { "padding", n(1) }, { "dilation", n(2) },
                        { "ceil_mode", true } } } } },
        { "AvgPool1d",
            { { { 3, 9 }, {} },
                { { 3, 9 },
                    { { "kernel_size", n(3) }, { "stride", n(2) }, { "padding", n(1) }, { "ceil_mode", true },
                        { "count_include_pad", false } } } } },
        { "AdaptiveMaxPool2d", { { { 3, 9, 7 }, {} }, { { 3, 9, 7 }, { { "output_size", IntList { 4, 3 } } } } } },
        { "AdaptiveAvgPool1d", { { { 3, 10 }, {} }, { { 3, 10 }, { { "output_size", n(4) } } } } },
        // Attention and transformers of issue 19.
        { "MultiheadAttention",
            { { { 6, 8 }, {} },
                { { 6, 8 }, { { "self_attention", false }, { "num_heads", n(2) }, { "causal", true } } },
                { { 5, 12 }, { { "num_heads", n(3) }, { "bias", false }, { "causal", true }, { "dropout", 0.1 } } },
                { { 6, 6 }, { { "num_heads", n(2) }, { "mask_input", true } } },
                { { 6, 6 }, { { "num_heads", n(3) }, { "self_attention", false }, { "mask_input", true } } } } },
        { "ScaledDotProductAttention", { { { 5, 4 }, {} }, { { 2, 5, 4 }, { { "causal", true } } } } },
        { "TransformerEncoderLayer",
            { { { 6, 8 }, { { "nhead", n(2) }, { "dim_feedforward", n(16) } } },
                { { 6, 8 },
                    { { "dim_feedforward", n(16) }, { "activation", word("gelu") }, { "norm_first", true },
                        { "causal", true }, { "layer_norm_eps", 1e-6 } } },
                { { 6, 6 }, { { "nhead", n(3) }, { "dim_feedforward", n(16) }, { "mask_input", true } } } } },
        { "TransformerDecoderLayer",
            { { { 6, 8 }, { { "nhead", n(2) }, { "dim_feedforward", n(16) } } },
                { { 6, 8 },
                    { { "dim_feedforward", n(16) }, { "activation", word("gelu") }, { "norm_first", true },
                        { "causal", true } } },
                { { 6, 6 },
                    { { "nhead", n(2) }, { "dim_feedforward", n(16) }, { "tgt_mask_input", true },
                        { "memory_mask_input", true } } },
                { { 6, 6 },
                    { { "nhead", n(3) }, { "dim_feedforward", n(16) }, { "norm_first", true }, { "causal", true },
                        { "memory_mask_input", true } } } } },
        { "PositionalEncoding", { { { 6, 8 }, {} }, { { 5, 7 }, { { "max_len", n(10) } } } } },
        { "LearnedPositionalEmbedding", { { { 6, 8 }, { { "max_len", n(16) } } } } },
        { "ClassToken", { { { 6, 8 }, {} } } },
        { "PatchEmbedding",
            { { { 3, 8, 8 }, { { "embed_dim", n(16) } } },
                { { 1, 6, 9 }, { { "patch_size", n(3) }, { "bias", false } } } } },
        // Shape and arithmetic of issue 19.
        { "Permute",
            { { { 4, 5 }, {} }, { { 3, 4, 5 }, { { "dims", IntList { 2, 3, 1 } } } },
                { { 3, 4, 5 }, { { "dims", IntList { 0, 3, 1, 2 } } } },
                { { 3, 4, 5 }, { { "dims", IntList { -1, 1, 2 } } } } } },
        { "Transpose", { { { 4, 5 }, {} }, { { 3, 4, 5 }, { { "dim0", n(-1) }, { "dim1", n(1) } } } } },
        { "Split",
            { { { 2, 3 }, {} }, { { 6, 4 }, { { "sizes", IntList { 2, 4 } } } },
                { { 6, 4 }, { { "sizes", IntList { 1, 1, 2 } }, { "dim", n(-1) } } } } },
        { "Chunk",
            { { { 6, 4 }, {} }, { { 5, 4 }, { { "chunks", n(3) } } },
                { { 6, 4 }, { { "chunks", n(4) }, { "dim", n(-1) } } } } },
        { "Slice",
            { { { 6, 4 }, {} }, { { 6, 4 }, { { "start", n(1) }, { "end", n(5) }, { "step", n(2) } } },
                { { 6, 4 }, { { "dim", n(2) }, { "start", n(-3) }, { "end", n(-1) } } },
                { { 6, 4 }, { { "start", n(2) }, { "end", n(99) }, { "step", n(3) } } } } },
        { "Select",
            { { { 6, 4 }, {} }, { { 6, 4 }, { { "index", n(-1) } } },
                { { 3, 4, 5 }, { { "dim", n(-1) }, { "index", n(2) } } } } },
        { "Squeeze", { { { 1, 4 }, {} }, { { 3, 4, 1 }, { { "dim", n(-1) } } } } },
        { "Unsqueeze", { { { 4 }, {} }, { { 3, 4 }, { { "dim", n(-1) } } }, { { 3, 4 }, { { "dim", n(2) } } } } },
        { "ZeroPad2d",
            { { { 2, 4, 5 }, {} },
                { { 2, 4, 5 }, { { "left", n(0) }, { "right", n(2) }, { "top", n(3) }, { "bottom", n(1) } } } } },
        { "PixelShuffle", { { { 8, 3, 3 }, {} }, { { 9, 2, 2 }, { { "upscale_factor", n(3) } } } } },
        { "MatMul", { { { 4, 4 }, {} }, { { 2, 3, 3 }, {} } } },
        { "Subtract", { { { 4, 5 }, {} } } },
        { "Divide", { { { 4, 5 }, {} } } },
        { "Scale", { { { 4, 6 }, {} }, { { 4, 6 }, { { "scale", 0.5 }, { "bias", -1.0 } } } } },
        { "ChannelAffine",
            { { { 4, 5, 5 }, {} }, { { 6 }, { { "learn_scale", false } } },
                { { 3, 4, 2, 2 }, { { "learn_shift", false }, { "channels", n(3) } } } } },
        { "Mean",
            { { { 3, 4, 5 }, {} }, { { 3, 4, 5 }, { { "dims", IntList { 2, 3 } }, { "keepdim", true } } },
                { { 3, 4, 5 }, { { "dims", IntList { 1, -1 } } } } } },
        { "Sum",
            { { { 3, 4, 5 }, {} }, { { 3, 4, 5 }, { { "dims", IntList { 2, 3 } }, { "keepdim", true } } },
                { { 3, 4, 5 }, { { "dims", IntList { 1, -1 } } } } } },
        { "Max",
            { { { 3, 4, 5 }, {} }, { { 3, 4, 5 }, { { "dims", IntList { 2, 3 } }, { "keepdim", true } } },
                { { 3, 4, 5 }, { { "dims", IntList { 1, -1 } } } } } },
    };
    return cases;
}

/// The recurrent layers share one set of cases (plus RNN's nonlinearity).
std::vector<LayerCase> recurrentCases(const std::string& type)
{
    std::vector<LayerCase> cases {
        { { 6, 5 }, {} },
        { { 6, 5 }, { { "hidden_size", n(8) }, { "output", word("last") } } },
        { { 6, 5 },
            { { "num_layers", n(2) }, { "bidirectional", true }, { "output", word("last") }, { "dropout", 0.1 } } },
        { { 6, 5 }, { { "batch_first", false }, { "bias", false }, { "output", word("last") } } },
    };
    if (type == "RNN")
        cases.push_back({ { 6, 5 }, { { "nonlinearity", word("relu") }, { "bidirectional", true } } });
    return cases;
}

std::vector<LayerCase> casesOf(const std::string& type)
{
    if (type == "LSTM" || type == "GRU" || type == "RNN")
        return recurrentCases(type);
    auto it = catalogueCases().find(type);
    return it == catalogueCases().end() ? std::vector<LayerCase> {} : it->second;
}

/// One block of `type` fed by the Input (every port from it), its inference and its built module.
struct BlockUnderTest {
    Graph graph;
    InferenceResult inference;
    std::string id;
    const LayerType* type = nullptr;

    const BlockInference& info() const { return inference.blocks.at(id); }
    BuildContext context() const
    {
        return { ParamReader(type->description(), info().params), info().inputs, *info().output };
    }
};

BlockUnderTest makeBlock(const std::string& typeName, const LayerCase& layerCase)
{
    BlockUnderTest test;
    test.type = LayerRegistry::instance().find(typeName);
    GraphBuilder builder;
    builder.add("Input",
        { { "shape", layerCase.input }, { "dtype", word(typeName == "Embedding" ? "int64" : "float32") } }, "input");
    if (typeName == "Input" || typeName == "Output") {
        test.id = typeName == "Input" ? "input" : "output";
        const auto task = layerCase.params.find("task");
        const std::string defaultTask = typeName == "Output" ? "classification" : "regression";
        builder.output(task == layerCase.params.end() ? defaultTask : std::get<std::string>(task->second));
    } else {
        test.id = "block";
        builder.add(typeName, layerCase.params, test.id);
        for (const std::string& port : test.type->description().inputPorts(builder.graph().block("block").params))
            builder.connect("input", "block", port);
        builder.from("block").output("regression");
    }
    test.graph = builder.graph();
    test.inference = inferShapes(test.graph);
    return test;
}

/// Random inputs for the block: one per port (one for Input), token ids for Embedding.
std::vector<torch::Tensor> randomInputs(const BlockUnderTest& test, int64_t batch)
{
    const BlockInference& info = test.info();
    std::vector<Shape> shapes = info.inputs;
    if (shapes.empty())
        shapes.push_back(*info.output); // the Input block passes its batch through
    std::vector<torch::Tensor> inputs;
    for (const Shape& shape : shapes) {
        if (test.type->type() == "Embedding")
            inputs.push_back(torch::randint(
                0, std::get<int64_t>(info.params.at("num_embeddings")), shape.withBatch(batch), torch::kLong));
        else
            inputs.push_back(torch::randn(shape.withBatch(batch)));
    }
    return inputs;
}

/// The shape inference gave each output of the block, in port order (one for most blocks).
std::vector<Shape> outputShapes(const BlockUnderTest& test)
{
    const BlockInference& info = test.info();
    if (info.portOutputs.empty())
        return { *info.output };
    std::vector<Shape> shapes;
    for (const std::string& port : test.type->description().outputPorts(info.params))
        shapes.push_back(info.portOutputs.at(port));
    return shapes;
}

std::string describeCase(const std::string& type, size_t index)
{
    return type + "/" + std::to_string(index);
}

void addCaseRows()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<int>("index");
    for (const LayerType* type : LayerRegistry::instance().all()) {
        if (type->type() == "Opaque")
            continue; // runs and exports nothing: OpaqueBlockTest
        const auto cases = casesOf(type->type());
        for (size_t i = 0; i < cases.size(); ++i)
            QTest::newRow(describeCase(type->type(), i).c_str()) << QString::fromStdString(type->type()) << int(i);
    }
}

std::string joinLines(const std::vector<Problem>& problems)
{
    std::string text;
    for (const Problem& p : problems)
        text += p.toString() + "\n";
    return text;
}

/// Registers the parameters and buffers of `from` in `to`, child modules as child modules
/// (the attention layers' self_attn.out_proj.weight).
void mirrorState(torch::nn::Module& from, torch::jit::Module& to, const std::string& className)
{
    for (const auto& parameter : from.named_parameters(false))
        to.register_parameter(parameter.key(), parameter.value(), false);
    for (const auto& buffer : from.named_buffers(false))
        to.register_buffer(buffer.key(), buffer.value());
    for (const auto& child : from.named_children()) {
        torch::jit::Module script(className + "_" + child.key());
        mirrorState(*child.value(), script, className + "_" + child.key());
        to.register_module(child.key(), script);
    }
}

/// Compiles `body` as forward(self, x0, ...) over the module's parameters and buffers.
torch::jit::Module scriptModule(const std::string& body, size_t arguments, torch::nn::Module* module)
{
    torch::jit::Module script("BlockUnderTest");
    if (module)
        mirrorState(*module, script, "BlockUnderTest");
    std::string source = "def forward(self";
    for (size_t i = 0; i < arguments; ++i)
        source += ", x" + std::to_string(i);
    source += "):\n";
    size_t start = 0;
    while (start < body.size()) {
        size_t end = body.find('\n', start);
        end = end == std::string::npos ? body.size() : end;
        source += "    " + body.substr(start, end - start) + "\n";
        start = end + 1;
    }
    script.define(source);
    return script;
}

} // namespace

class LayerCatalogueTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyRegisteredTypeHasCases()
    {
        std::string missing;
        for (const LayerType* type : LayerRegistry::instance().all())
            if (casesOf(type->type()).empty())
                missing += " " + type->type();
        QVERIFY2(missing.empty(), ("layer types without test cases:" + missing).c_str());
        QVERIFY(LayerRegistry::instance().all().size() >= 36);
    }

    void descriptionsAreComplete()
    {
        const std::set<std::string> categories { category::kInputOutput, category::kConvolution, category::kPooling,
            category::kLinear, category::kNormalization, category::kActivation, category::kRegularization,
            category::kRecurrent, category::kReshape, category::kMerge, category::kEmbedding, category::kAttention,
            category::kArithmetic, "Unsupported" /* Opaque */ };
        for (const LayerType* type : LayerRegistry::instance().all()) {
            const LayerDescription& description = type->description();
            const std::string name = description.type;
            QVERIFY2(!description.help.empty() && !description.displayName.empty(), name.c_str());
            QVERIFY2(categories.count(description.category), (name + ": unknown category").c_str());
            for (const ParamSpec& spec : description.params)
                QVERIFY2(!spec.helpText.empty(), (name + "." + spec.name + " has no help").c_str());
            std::vector<std::string> errors;
            checkParams(description.defaultParams(), description, errors);
            QVERIFY2(errors.empty(), (name + ": " + (errors.empty() ? "" : errors[0])).c_str());
            QCOMPARE(description.variadicInputs,
                description.category == std::string(category::kMerge) || description.type == "Opaque");
        }
    }

    void inferredShapeEqualsRealOutput_data() { addCaseRows(); }
    void inferredShapeEqualsRealOutput()
    {
        QFETCH(QString, type);
        QFETCH(int, index);
        const LayerCase layerCase = casesOf(type.toStdString()).at(static_cast<size_t>(index));
        BlockUnderTest test = makeBlock(type.toStdString(), layerCase);
        QVERIFY2(!test.inference.hasErrors(), joinLines(test.inference.problems()).c_str());
        BuiltBlock built = test.type->build(test.context());
        torch::manual_seed(index);
        const std::vector<torch::Tensor> outputs = built.run(randomInputs(test, 3));
        const std::vector<Shape> expected = outputShapes(test);
        QCOMPARE(outputs.size(), expected.size());
        for (size_t i = 0; i < outputs.size(); ++i)
            QCOMPARE(outputs[i].sizes().vec(), expected[i].withBatch(3));
        // The whole model agrees as well.
        auto model = buildModel(test.graph);
        QCOMPARE(model->forward(randomInputs(test, 3).front()).sizes().vec(), test.info().output->withBatch(3));
    }

    void torchScriptBodyComputesTheSame_data() { addCaseRows(); }
    void torchScriptBodyComputesTheSame()
    {
        QFETCH(QString, type);
        QFETCH(int, index);
        const LayerCase layerCase = casesOf(type.toStdString()).at(static_cast<size_t>(index));
        BlockUnderTest test = makeBlock(type.toStdString(), layerCase);
        QVERIFY(!test.inference.hasErrors());
        torch::manual_seed(100 + index);
        BuiltBlock built = test.type->build(test.context());
        const std::vector<torch::Tensor> inputs = randomInputs(test, 3);
        torch::NoGradGuard noGrad;
        if (built.module) {
            built.module->train(); // one training step moves BatchNorm's running statistics off their defaults
            built.run(inputs);
            built.module->eval();
        }
        const std::optional<std::string> body = test.type->torchScriptBody(test.context());
        QVERIFY2(body.has_value(), "every layer type exports to TorchScript");
        torch::jit::Module script = scriptModule(*body, inputs.size(), built.module.get());
        const std::vector<torch::Tensor> expected = built.run(inputs);
        const torch::jit::IValue result = script.forward(std::vector<torch::jit::IValue>(inputs.begin(), inputs.end()));
        // Blocks with several outputs (Split) return their list.
        const std::vector<torch::Tensor> actual
            = result.isTensorList() ? result.toTensorVector() : std::vector<torch::Tensor> { result.toTensor() };
        QCOMPARE(actual.size(), expected.size());
        for (size_t i = 0; i < actual.size(); ++i) {
            QCOMPARE(actual[i].sizes().vec(), expected[i].sizes().vec());
            QVERIFY2(torch::allclose(actual[i], expected[i], 1e-5, 1e-6), body->c_str());
        }
    }

    void pythonCodeMatchesTheModule_data() { addCaseRows(); }
    void pythonCodeMatchesTheModule()
    {
        QFETCH(QString, type);
        QFETCH(int, index);
        const LayerCase layerCase = casesOf(type.toStdString()).at(static_cast<size_t>(index));
        BlockUnderTest test = makeBlock(type.toStdString(), layerCase);
        BuiltBlock built = test.type->build(test.context());
        std::vector<std::string> inputs;
        for (size_t i = 0; i < test.info().inputs.size(); ++i)
            inputs.push_back("x" + std::to_string(i + 1));
        const auto code = test.type->pythonCode(test.context(), "block", inputs);
        QVERIFY(code.has_value());
        QVERIFY(!code->forward.empty());
        // A constructor exactly when the block has a module (weights, buffers or a training switch).
        QCOMPARE(code->constructor.empty(), built.module == nullptr);
        if (built.module) {
            // nn.<Type>, another nn module (PatchEmbedding's nn.Conv2d), or a helper class model.py defines.
            const bool helper = code->constructor.rfind(type.toStdString() + "(", 0) == 0
                && code->definitions.find("class " + type.toStdString() + "(nn.Module):") != std::string::npos;
            QVERIFY2(code->constructor.rfind("nn.", 0) == 0 || helper, code->constructor.c_str());
            // The module called on the first input; attention passes more inputs and masks after it.
            QVERIFY2(code->forward.rfind("self.block(x1)", 0) == 0 || code->forward.rfind("self.block(x1, ", 0) == 0,
                code->forward.c_str());
        }
        for (const std::string& input : inputs)
            QVERIFY2(code->forward.find(input) != std::string::npos, code->forward.c_str());
    }

    void exportCodeExamples()
    {
        auto python = [](const char* type, const LayerCase& layerCase, const std::vector<std::string>& inputs,
                          const std::string& attribute) {
            BlockUnderTest test = makeBlock(type, layerCase);
            return *test.type->pythonCode(test.context(), attribute, inputs);
        };
        auto script = [](const char* type, const LayerCase& layerCase) {
            BlockUnderTest test = makeBlock(type, layerCase);
            return *test.type->torchScriptBody(test.context());
        };
        PythonCode conv = python("Conv2d", { { 3, 32, 32 }, { { "padding", n(1) } } }, { "x" }, "conv1");
        QCOMPARE(conv.constructor,
            std::string("nn.Conv2d(3, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=True)"));
        QCOMPARE(conv.forward, std::string("self.conv1(x)"));
        QCOMPARE(script("Conv2d", { { 3, 32, 32 }, { { "padding", n(1) } } }),
            std::string("return torch.conv2d(x0, self.weight, self.bias, [1, 1], [1, 1], [1, 1], 1)"));
        PythonCode lstm
            = python("LSTM", { { 6, 5 }, { { "hidden_size", n(16) }, { "output", word("last") } } }, { "x" }, "lstm1");
        QCOMPARE(lstm.constructor,
            std::string("nn.LSTM(5, 16, num_layers=1, bias=True, batch_first=True, dropout=0.0, bidirectional=False)"));
        QCOMPARE(lstm.forward, std::string("self.lstm1(x)[0][:, -1, :]"));
        QCOMPARE(
            python("Concat", { { 4, 5 }, {} }, { "a", "b" }, "cat").forward, std::string("torch.cat([a, b], dim=1)"));
        QCOMPARE(python("Add", { { 4, 5 }, {} }, { "a + b", "self.fc(c)" }, "add").forward,
            std::string("(a + b) + self.fc(c)"));
        QCOMPARE(
            python("Flatten", { { 3, 4, 5 }, {} }, { "x" }, "flatten").forward, std::string("torch.flatten(x, 1, -1)"));
        QCOMPARE(python("ReLU", { { 4 }, {} }, { "x" }, "relu").forward, std::string("torch.relu(x)"));
        QCOMPARE(python("Reshape", { { 2, 3, 4 }, { { "shape", IntList { 6, -1 } } } }, { "x" }, "r").forward,
            std::string("x.reshape(-1, 6, 4)"));
        QCOMPARE(python("Dropout", { { 4 }, {} }, { "x" }, "drop").constructor, std::string("nn.Dropout(p=0.5)"));
        QCOMPARE(script("BatchNorm2d", { { 4, 5, 5 }, {} }),
            std::string("return torch.batch_norm(x0, self.weight, self.bias, self.running_mean, "
                        "self.running_var, False, 0.1, 1e-05, True)"));
        QCOMPARE(script("Dropout", { { 4 }, {} }), std::string("return x0"));
    }
};

NETDRAFT_TEST(LayerCatalogueTest);
#include "LayerCatalogueTest.moc"
