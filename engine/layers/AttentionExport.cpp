#include "engine/layers/AttentionExport.h"

#include "engine/layers/PythonFormat.h"

#include <cmath>
#include <limits>
#include <vector>

namespace netdraft::engine {

namespace torchscript {

namespace {

std::string slice(const std::string& tensor, int64_t part, int64_t size)
{
    return tensor + "[" + std::to_string(part * size) + ":" + std::to_string((part + 1) * size) + "]";
}

} // namespace

std::string scaledDotProduct(
    const std::string& query, const std::string& key, const std::string& value, int64_t headDim, bool causal)
{
    const std::string scale = python::real(1.0 / std::sqrt(static_cast<double>(headDim)));
    std::string scores = "torch.matmul(" + python::operand(query) + " * " + scale + ", " + python::operand(key)
        + ".transpose(-2, -1))";
    // A comparison rather than dtype=torch.bool, which LibTorch's define() does not resolve.
    if (causal)
        scores += ".masked_fill(torch.ones([" + python::operand(query) + ".size(-2), " + python::operand(key)
            + ".size(-2)], device=" + python::operand(query) + ".device).triu(1) > 0, float('-inf'))";
    return "torch.matmul(torch.softmax(" + scores + ", -1), " + value + ")";
}

std::string multiheadAttention(const AttentionExport& attention, const std::string& result, const std::string& query,
    const std::string& key, const std::string& value, const std::string& tag, const std::string& mask)
{
    const int64_t e = attention.embedDim;
    const int64_t heads = attention.numHeads;
    const std::string self = "self." + attention.prefix;
    const std::string shape = ", " + std::to_string(heads) + ", " + std::to_string(e / heads) + "]).transpose(1, 2)";
    std::string body;
    const char* names[] = { "q", "k", "v" };
    const std::string sources[] = { query, key, value };
    for (int64_t part = 0; part < 3; ++part) {
        const std::string name = tag + names[part];
        const std::string bias = attention.bias ? slice(self + "in_proj_bias", part, e) : "None";
        body += name + " = torch.linear(" + sources[part] + ", " + slice(self + "in_proj_weight", part, e) + ", "
            + bias + ")\n";
        body += name + " = " + name + ".reshape([" + name + ".size(0), " + name + ".size(1)" + shape + "\n";
    }
    const std::string attended = tag + "o";
    if (mask.empty()) {
        body += attended + " = "
            + torchscript::scaledDotProduct(tag + "q", tag + "k", tag + "v", e / heads, attention.causal)
            + ".transpose(1, 2)\n";
    } else {
        // The mask's dtype is known only when the model runs: bool masks out, float adds.
        const std::string scores = tag + "s";
        const std::string masking = tag + "m";
        body += scores + " = torch.matmul(" + tag + "q * " + python::real(1.0 / std::sqrt(double(e / heads))) + ", "
            + tag + "k.transpose(-2, -1))\n";
        if (attention.causal)
            body += scores + " = " + scores + ".masked_fill(torch.ones([" + scores + ".size(-2), " + scores
                + ".size(-1)], device=" + scores + ".device).triu(1) > 0, float('-inf'))\n";
        body += masking + " = " + mask + "\n";
        body += "if " + masking + ".is_floating_point():\n    " + scores + " = " + scores + " + " + masking
            + "\nelse:\n    " + scores + " = " + scores + ".masked_fill(" + masking + ", float('-inf'))\n";
        body += attended + " = torch.matmul(torch.softmax(" + scores + ", -1), " + tag + "v).transpose(1, 2)\n";
    }
    body += attended + " = " + attended + ".reshape([" + attended + ".size(0), " + attended + ".size(1), "
        + std::to_string(e) + "])\n";
    body += result + " = torch.linear(" + attended + ", " + self + "out_proj.weight, "
        + (attention.bias ? self + "out_proj.bias" : std::string("None")) + ")\n";
    return body;
}

} // namespace torchscript

namespace onnxgraph {

std::string linear(OnnxBuilder& builder, const std::string& x, const std::string& weight, const std::string& bias,
    int64_t begin, int64_t rows, const std::string& hint)
{
    const std::string product = builder.apply("MatMul", { x, builder.parameterRows(weight, begin, rows, true) }, hint);
    if (bias.empty())
        return product;
    return builder.apply("Add", { product, builder.parameterRows(bias, begin, rows, false) }, hint + "_b");
}

std::string scaledDotProduct(OnnxBuilder& builder, const std::string& query, const std::string& key,
    const std::string& value, int64_t rank, int64_t headDim, bool causal, int64_t queries, int64_t keys,
    const std::string& mask)
{
    std::vector<int64_t> swapLast;
    for (int64_t axis = 0; axis < rank; ++axis)
        swapLast.push_back(axis);
    std::swap(swapLast[static_cast<size_t>(rank - 1)], swapLast[static_cast<size_t>(rank - 2)]);
    const std::string keyT = builder.apply("Transpose", { key }, "key_t", { { "perm", swapLast } });
    const std::string scaled = builder.apply("Mul",
        { query, builder.scalar("scale", static_cast<float>(1.0 / std::sqrt(static_cast<double>(headDim)))) },
        "query_scaled");
    std::string scores = builder.apply("MatMul", { scaled, keyT }, "scores");
    if (causal) {
        std::vector<float> mask(static_cast<size_t>(queries * keys), 0.0f);
        for (int64_t row = 0; row < queries; ++row)
            for (int64_t column = row + 1; column < keys; ++column)
                mask[static_cast<size_t>(row * keys + column)] = -std::numeric_limits<float>::infinity();
        scores = builder.apply("Add",
            { scores, builder.constant("causal_mask", OnnxTensorValues::ofFloats({ queries, keys }, mask)) },
            "masked");
    }
    if (!mask.empty())
        scores = builder.apply("Add", { scores, mask }, "mask_added");
    const std::string weights = builder.apply("Softmax", { scores }, "weights", { { "axis", int64_t(-1) } });
    return builder.apply("MatMul", { weights, value }, "attended");
}

std::string multiheadAttention(OnnxBuilder& builder, const AttentionExport& attention, const std::string& query,
    const std::string& key, const std::string& value, int64_t queries, int64_t keys, const std::string& mask)
{
    const int64_t e = attention.embedDim;
    const int64_t heads = attention.numHeads;
    const std::string& p = attention.prefix;
    const std::string bias = attention.bias ? p + "in_proj_bias" : std::string();
    const std::string headShape = builder.ints("head_shape", { 0, -1, heads, e / heads });
    auto project = [&](const std::string& x, int64_t part, const char* name, std::vector<int64_t> perm) {
        const std::string projected = linear(builder, x, p + "in_proj_weight", bias, part * e, e, p + name);
        return builder.apply("Transpose", { builder.apply("Reshape", { projected, headShape }, p + name + "_heads") },
            p + name + "_t", { { "perm", perm } });
    };
    const std::string q = project(query, 0, "q", { 0, 2, 1, 3 });
    const std::string k = project(key, 1, "k", { 0, 2, 1, 3 });
    const std::string v = project(value, 2, "v", { 0, 2, 1, 3 });
    const std::string attended
        = scaledDotProduct(builder, q, k, v, 4, e / heads, attention.causal, queries, keys, mask);
    const std::string merged = builder.apply("Reshape",
        { builder.apply("Transpose", { attended }, p + "merge", { { "perm", std::vector<int64_t> { 0, 2, 1, 3 } } }),
            builder.ints("merged_shape", { 0, -1, e }) },
        p + "merged");
    return linear(builder, merged, p + "out_proj.weight", attention.bias ? p + "out_proj.bias" : std::string(), 0, e,
        p + "out_proj");
}

std::string layerNorm(OnnxBuilder& builder, const std::string& prefix, const std::string& x, double eps)
{
    return builder.apply("LayerNormalization",
        { x, builder.parameter(prefix + "weight"), builder.parameter(prefix + "bias") }, prefix + "normalized",
        { { "axis", int64_t(-1) }, { "epsilon", eps } });
}

std::string activation(OnnxBuilder& builder, const std::string& x, const std::string& name)
{
    if (name != "gelu")
        return builder.apply("Relu", { x }, "relu");
    const std::string erf = builder.apply("Erf",
        { builder.apply("Mul", { x, builder.scalar("inverse_root_two", static_cast<float>(M_SQRT1_2)) }, "scaled") },
        "erf");
    const std::string onePlus = builder.apply("Add", { erf, builder.scalar("one", 1.0f) }, "one_plus");
    return builder.apply(
        "Mul", { builder.apply("Mul", { x, onePlus }, "gated"), builder.scalar("half", 0.5f) }, "gelu");
}

} // namespace onnxgraph

} // namespace netdraft::engine
