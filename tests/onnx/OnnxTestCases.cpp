#include "tests/onnx/OnnxTestCases.h"

#include "engine/graph/GraphBuilder.h"
#include "engine/layers/LayerRegistry.h"
#include "tests/engine/ExportTestGraphs.h"

namespace netdraft::tests {

using engine::GraphBuilder;
using engine::IntList;
using engine::ParamMap;

namespace {

constexpr double kRecurrentTolerance = 1e-3; // the bound for recurrent layers

bool recurrent(const std::string& type)
{
    return type == "LSTM" || type == "GRU" || type == "RNN";
}

OnnxTestCase single(const std::string& name, const IntList& shape, const std::string& type, const ParamMap& params)
{
    GraphBuilder builder;
    builder.input(shape).then(type, params, "layer");
    const auto ports = engine::LayerRegistry::instance().find(type)->description().inputPorts(
        builder.graph().block("layer").params);
    for (size_t port = 1; port < ports.size(); ++port) // attention: query, key and value all read the input
        builder.connect("input", "layer", ports[port]);
    builder.from("layer").output("regression");
    return { "variant_" + name, builder.graph(), recurrent(type) ? kRecurrentTolerance : 1e-4 };
}

/// Settings that change the ONNX graph: padding modes and 'same', asymmetric windows, the
/// non-affine and batch-statistics norms, bidirectional and stacked recurrences, merges of three.
std::vector<OnnxTestCase> variants()
{
    const IntList image { 4, 9, 7 };
    const IntList sequence { 6, 5 };
    auto word = [](const char* text) { return std::string(text); };
    std::vector<OnnxTestCase> cases {
        single("conv2d_same_even_kernel", image, "Conv2d",
            { { "out_channels", int64_t(6) }, { "kernel_size", IntList { 4, 3 } }, { "padding", word("same") } }),
        single("conv2d_stride_dilation_groups", image, "Conv2d",
            { { "out_channels", int64_t(6) }, { "kernel_size", IntList { 3, 2 } }, { "stride", IntList { 2, 1 } },
                { "padding", IntList { 1, 2 } }, { "dilation", IntList { 2, 1 } }, { "groups", int64_t(2) } }),
        single("conv2d_valid_no_bias", image, "Conv2d",
            { { "out_channels", int64_t(3) }, { "padding", word("valid") }, { "bias", false } }),
        single("conv2d_reflect", image, "Conv2d",
            { { "out_channels", int64_t(3) }, { "padding", IntList { 2, 1 } }, { "padding_mode", word("reflect") } }),
        single("conv2d_replicate_same", image, "Conv2d",
            { { "out_channels", int64_t(3) }, { "kernel_size", int64_t(4) }, { "padding", word("same") },
                { "padding_mode", word("replicate") } }),
        single("conv2d_circular", image, "Conv2d",
            { { "out_channels", int64_t(3) }, { "padding", IntList { 1, 2 } }, { "padding_mode", word("circular") } }),
        single("conv1d_same_circular", { 3, 11 }, "Conv1d",
            { { "out_channels", int64_t(4) }, { "kernel_size", int64_t(4) }, { "padding", word("same") },
                { "padding_mode", word("circular") } }),
        single("conv_transpose2d_output_padding", image, "ConvTranspose2d",
            { { "out_channels", int64_t(4) }, { "kernel_size", int64_t(3) }, { "stride", int64_t(2) },
                { "padding", int64_t(1) }, { "output_padding", int64_t(1) }, { "groups", int64_t(2) } }),
        single("linear_over_sequence", sequence, "Linear", { { "out_features", int64_t(3) } }),
        single("linear_no_bias", { 7 }, "Linear", { { "out_features", int64_t(3) }, { "bias", false } }),
        single(
            "linear_over_sequence_no_bias", sequence, "Linear", { { "out_features", int64_t(3) }, { "bias", false } }),
        single("maxpool2d_padding_ceil", image, "MaxPool2d",
            { { "kernel_size", int64_t(3) }, { "stride", int64_t(2) }, { "padding", int64_t(1) },
                { "ceil_mode", true } }),
        single("maxpool2d_dilation", image, "MaxPool2d",
            { { "kernel_size", int64_t(2) }, { "stride", int64_t(1) }, { "dilation", int64_t(2) } }),
        single("avgpool2d_padding_exclude", image, "AvgPool2d",
            { { "kernel_size", int64_t(3) }, { "stride", int64_t(2) }, { "padding", int64_t(1) },
                { "count_include_pad", false } }),
        single("avgpool2d_padding_include", image, "AvgPool2d",
            { { "kernel_size", int64_t(3) }, { "stride", int64_t(2) }, { "padding", int64_t(1) } }),
        single("adaptive_avgpool2d_uneven", image, "AdaptiveAvgPool2d", { { "output_size", IntList { 4, 3 } } }),
        single("adaptive_avgpool2d_global", image, "AdaptiveAvgPool2d", { { "output_size", int64_t(1) } }),
        single("batchnorm2d_batch_statistics", image, "BatchNorm2d", { { "track_running_stats", false } }),
        single("batchnorm2d_not_affine", image, "BatchNorm2d", { { "affine", false }, { "momentum", 0.3 } }),
        single("batchnorm1d_sequence", sequence, "BatchNorm1d", {}),
        single("batchnorm1d_batch_statistics_not_affine", sequence, "BatchNorm1d",
            { { "track_running_stats", false }, { "affine", false } }),
        single("groupnorm_not_affine", image, "GroupNorm", { { "num_groups", int64_t(4) }, { "affine", false } }),
        single("groupnorm_sequence", sequence, "GroupNorm", { { "num_groups", int64_t(3) } }),
        single("layernorm_pinned", image, "LayerNorm", { { "normalized_shape", IntList { 9, 7 } } }),
        single("layernorm_not_affine", sequence, "LayerNorm", { { "elementwise_affine", false } }),
        single("gelu_tanh", { 10 }, "GELU", { { "approximate", word("tanh") } }),
        single("leaky_relu_slope", { 10 }, "LeakyReLU", { { "negative_slope", 0.2 } }),
        single("elu_alpha", { 10 }, "ELU", { { "alpha", 0.5 } }),
        single("softmax_channels", image, "Softmax", { { "dim", int64_t(1) } }),
        single("log_softmax_middle", sequence, "LogSoftmax", { { "dim", int64_t(1) } }),
        single("flatten_partial", image, "Flatten", { { "start_dim", int64_t(2) } }),
        single("flatten_middle", { 2, 3, 4, 5 }, "Flatten", { { "start_dim", int64_t(1) }, { "end_dim", int64_t(2) } }),
        single("reshape_wildcard", image, "Reshape", { { "shape", IntList { 2, -1, 7 } } }),
        single("upsample_bilinear", image, "Upsample", { { "mode", word("bilinear") } }),
        single("upsample_bilinear_align_corners", image, "Upsample",
            { { "mode", word("bilinear") }, { "align_corners", true } }),
        single(
            "upsample_bilinear_fraction", image, "Upsample", { { "mode", word("bilinear") }, { "scale_factor", 1.5 } }),
        single("upsample_nearest_fraction", image, "Upsample", { { "scale_factor", 2.5 } }),
        single("upsample_nearest_size", image, "Upsample", { { "size", IntList { 13, 4 } } }),
        single("upsample_bilinear_size", image, "Upsample",
            { { "size", IntList { 11, 15 } }, { "mode", word("bilinear") } }),
        single("lstm_bidirectional_stacked_last", sequence, "LSTM",
            { { "hidden_size", int64_t(4) }, { "num_layers", int64_t(2) }, { "bidirectional", true },
                { "output", word("last") } }),
        single("lstm_no_bias", sequence, "LSTM", { { "hidden_size", int64_t(4) }, { "bias", false } }),
        single("gru_bidirectional", sequence, "GRU", { { "hidden_size", int64_t(4) }, { "bidirectional", true } }),
        single("gru_time_first_last", sequence, "GRU",
            { { "hidden_size", int64_t(4) }, { "batch_first", false }, { "output", word("last") } }),
        single("rnn_relu_stacked", sequence, "RNN",
            { { "hidden_size", int64_t(4) }, { "num_layers", int64_t(3) }, { "nonlinearity", word("relu") } }),
        single("rnn_bidirectional_time_first", sequence, "RNN",
            { { "hidden_size", int64_t(4) }, { "bidirectional", true }, { "batch_first", false } }),
        // Issue 19: running statistics or not, shared or per-channel slopes, odd and even windows.
        single("instance_norm2d_sample_statistics_affine", image, "InstanceNorm2d", { { "affine", true } }),
        single("instance_norm1d_running_statistics", sequence, "InstanceNorm1d",
            { { "track_running_stats", true }, { "momentum", 0.5 } }),
        single("prelu_shared", sequence, "PReLU", {}),
        single("prelu_per_channel_sequence", sequence, "PReLU", { { "num_parameters", int64_t(6) } }),
        single("softplus_default", { 10 }, "Softplus", {}),
        single("local_response_norm_odd", image, "LocalResponseNorm", { { "size", int64_t(3) }, { "alpha", 0.5 } }),
        single("local_response_norm_sequence", sequence, "LocalResponseNorm", { { "size", int64_t(4) }, { "k", 2.0 } }),
        single("conv2d_depthwise", image, "Conv2d",
            { { "out_channels", int64_t(8) }, { "groups", int64_t(4) }, { "padding", int64_t(1) } }),
        single("conv3d_depthwise_stride", { 4, 5, 6, 7 }, "Conv3d",
            { { "out_channels", int64_t(4) }, { "groups", int64_t(4) }, { "stride", IntList { 1, 2, 2 } },
                { "padding", word("valid") } }),
        single("maxpool1d_padding_ceil", sequence, "MaxPool1d",
            { { "kernel_size", int64_t(3) }, { "stride", int64_t(2) }, { "padding", int64_t(1) },
                { "ceil_mode", true } }),
        single("avgpool1d_padding_exclude", sequence, "AvgPool1d",
            { { "kernel_size", int64_t(3) }, { "stride", int64_t(2) }, { "padding", int64_t(1) },
                { "count_include_pad", false } }),
        single("adaptive_maxpool2d_uneven", image, "AdaptiveMaxPool2d", { { "output_size", IntList { 4, 3 } } }),
        single("adaptive_maxpool2d_global", image, "AdaptiveMaxPool2d", { { "output_size", int64_t(1) } }),
        single("adaptive_avgpool1d_even", { 3, 12 }, "AdaptiveAvgPool1d", { { "output_size", int64_t(4) } }),
        single("channel_affine_sequence_fixed_scale", sequence, "ChannelAffine", { { "learn_scale", false } }),
        single("channel_affine_features", { 10 }, "ChannelAffine", { { "learn_shift", false } }),
    };
    for (const char* type : { "Add", "Multiply", "Concat" }) {
        GraphBuilder builder;
        builder.input(image).then("ReLU", {}, "relu").from("input").then("Sigmoid", {}, "sigmoid");
        ParamMap params { { "num_inputs", int64_t(3) } };
        if (std::string(type) == "Concat")
            params["dim"] = int64_t(-1);
        builder.add(type, params, "layer")
            .connect("input", "layer", "in1")
            .connect("relu", "layer", "in2")
            .connect("sigmoid", "layer", "in3");
        builder.from("layer").output("regression");
        cases.push_back({ std::string("variant_") + type + "_three_inputs", builder.graph() });
    }
    // Attention over a memory of another length: the ClassToken branch is one position longer.
    for (const char* type : { "MultiheadAttention", "TransformerDecoderLayer" }) {
        const bool attention = std::string(type) == "MultiheadAttention";
        GraphBuilder builder;
        builder.input({ 5, 8 }).then("ClassToken", {}, "memory");
        ParamMap params = attention
            ? ParamMap { { "self_attention", false }, { "num_heads", int64_t(2) }, { "causal", true } }
            : ParamMap { { "nhead", int64_t(4) }, { "dim_feedforward", int64_t(12) }, { "activation", word("gelu") },
                  { "norm_first", true }, { "causal", true } };
        builder.add(type, params, "layer").connect("input", "layer", attention ? "query" : "tgt");
        builder.connect("memory", "layer", attention ? "key" : "memory");
        if (attention)
            builder.connect("memory", "layer", "value");
        builder.from("layer").output("regression");
        cases.push_back({ std::string("variant_") + type + "_longer_memory", builder.graph() });
    }
    cases.push_back({ "variant_attention_network", attentionNetwork() });
    cases.push_back(single("encoder_norm_first_gelu_causal", { 6, 8 }, "TransformerEncoderLayer",
        { { "nhead", int64_t(2) }, { "dim_feedforward", int64_t(16) }, { "activation", word("gelu") },
            { "norm_first", true }, { "causal", true } }));
    cases.push_back(single("multihead_attention_no_bias_causal", { 6, 8 }, "MultiheadAttention",
        { { "num_heads", int64_t(4) }, { "bias", false }, { "causal", true } }));
    // The mask port fed the input itself: a float N×T×S mask added to every head's scores.
    cases.push_back(single("multihead_attention_mask", { 6, 6 }, "MultiheadAttention",
        { { "num_heads", int64_t(2) }, { "mask_input", true } }));
    cases.push_back(single("multihead_attention_cross_mask", { 6, 6 }, "MultiheadAttention",
        { { "num_heads", int64_t(3) }, { "self_attention", false }, { "mask_input", true } }));
    cases.push_back(single("encoder_mask", { 6, 6 }, "TransformerEncoderLayer",
        { { "nhead", int64_t(3) }, { "dim_feedforward", int64_t(16) }, { "mask_input", true } }));
    cases.push_back(single("decoder_masks", { 6, 6 }, "TransformerDecoderLayer",
        { { "nhead", int64_t(2) }, { "dim_feedforward", int64_t(16) }, { "tgt_mask_input", true },
            { "memory_mask_input", true } }));
    cases.push_back(single("sdpa_heads", { 2, 6, 4 }, "ScaledDotProductAttention", {}));
    cases.push_back(single("patch_embedding_no_bias", { 1, 6, 9 }, "PatchEmbedding",
        { { "patch_size", int64_t(3) }, { "bias", false } }));
    GraphBuilder embedding;
    embedding.input({ 9 })
        .then("Embedding", { { "num_embeddings", int64_t(20) }, { "embedding_dim", int64_t(5) } }, "embed")
        .then("GRU", { { "hidden_size", int64_t(6) }, { "output", word("last") } }, "gru")
        .then("Linear", { { "out_features", int64_t(3) } }, "fc")
        .output();
    engine::Graph tokens = embedding.graph();
    tokens.block("input").params["dtype"] = word("int64");
    cases.push_back({ "variant_embedding_gru_classifier", tokens, kRecurrentTolerance });
    return cases;
}

} // namespace

std::vector<OnnxTestCase> onnxLayerCases()
{
    std::vector<OnnxTestCase> cases;
    for (SingleLayerCase& item : singleLayerCases())
        cases.push_back(
            { "layer_" + item.type, std::move(item.graph), recurrent(item.type) ? kRecurrentTolerance : 1e-4 });
    for (OnnxTestCase& item : variants())
        cases.push_back(std::move(item));
    return cases;
}

} // namespace netdraft::tests
