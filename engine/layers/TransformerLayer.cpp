#include "engine/layers/TransformerLayer.h"

#include "engine/layers/AttentionMask.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {

namespace {

std::vector<ParamSpec> transformerParams(const std::vector<TransformerLayer::AttentionPart>& parts)
{
    std::vector<ParamSpec> params {
        ParamSpec::inferredInteger("d_model")
            .help("Features per position; inferred from the input unless pinned. Must be divisible by nhead."),
        ParamSpec::integer("nhead", 4).min(1).onBlock().help("Attention heads."),
        ParamSpec::integer("dim_feedforward", 2048)
            .min(1)
            .onBlock()
            .help("Hidden features of the feed-forward network after the attention."),
        ParamSpec::real("dropout", 0.1).min(0).max(1).help("Dropout while training, after attention and inside "
                                                           "the feed-forward network."),
        ParamSpec::choice("activation", "relu", { "relu", "gelu" })
            .help("Activation of the feed-forward network."),
        ParamSpec::boolean("causal", false)
            .help("Self-attention sees only earlier positions (position t looks at 0..t), as in a GPT-style "
                  "language model."),
        ParamSpec::boolean("norm_first", false)
            .isAdvanced()
            .help("LayerNorm before each part (pre-norm, trains more stably in deep stacks) instead of after "
                  "the residual sum."),
        ParamSpec::real("layer_norm_eps", 1e-5).min(0).isAdvanced().help("Added to the variance in LayerNorm."),
    };
    auto at = params.begin() + 6; // after causal
    for (const TransformerLayer::AttentionPart& part : parts) {
        const std::string scores = part.fromMemory ? "T×S" : "T×T";
        at = params.insert(at,
                 ParamSpec::boolean(part.maskParam, false)
                     .onBlock()
                     .help("On: a " + part.maskPort + " input port, PyTorch's " + part.pytorchMask + ": which "
                         + (part.fromMemory ? "memory positions" : "positions") + " each position may see (bool, "
                         "true: may not attend) or what is added to its attention scores (float, -inf: may not "
                         "attend). Shape N×" + scores + " (per sample), N×nhead×" + scores + " or " + scores
                         + "; T is the length of " + (part.fromMemory ? "tgt, S of memory." : "the sequence.")))
            + 1;
    }
    return params;
}

std::vector<ConditionalInput> maskInputs(const std::vector<TransformerLayer::AttentionPart>& parts)
{
    std::vector<ConditionalInput> inputs;
    for (const TransformerLayer::AttentionPart& part : parts)
        inputs.push_back({ part.maskPort, part.maskParam, true });
    return inputs;
}

std::string layerNormScript(const std::string& x, const std::string& norm, const TransformerSettings& s)
{
    return "torch.layer_norm(" + x + ", [" + std::to_string(s.dModel) + "], self." + norm + ".weight, self." + norm
        + ".bias, " + python::real(s.layerNormEps) + ", True)";
}

/// Statements for h = residual(norm, h, part) with norm_first or after the sum; `part` writes its
/// statements for an input expression and names its result.
std::string residualScript(const TransformerSettings& s, const std::string& norm,
    const std::function<std::string(const std::string& input, const std::string& result)>& part,
    const std::string& tag)
{
    if (s.normFirst)
        return tag + "n = " + layerNormScript("h", norm, s) + "\n" + part(tag + "n", tag + "r") + "h = h + " + tag
            + "r\n";
    return part("h", tag + "r") + "h = " + layerNormScript("h + " + tag + "r", norm, s) + "\n";
}

std::string feedForwardScript(const TransformerSettings& s, const std::string& input, const std::string& result)
{
    const std::string hidden = "torch.linear(" + input + ", self.linear1.weight, self.linear1.bias)";
    return result + " = torch.linear(" + (s.activation == "gelu" ? "torch.gelu(" : "torch.relu(") + hidden
        + "), self.linear2.weight, self.linear2.bias)\n";
}

std::string residualOnnx(OnnxBuilder& onnx, const TransformerSettings& s, const std::string& norm,
    const std::string& x, const std::function<std::string(const std::string& input)>& part)
{
    if (s.normFirst)
        return onnx.apply("Add", { x, part(onnxgraph::layerNorm(onnx, norm + ".", x, s.layerNormEps)) }, norm + "_sum");
    return onnxgraph::layerNorm(onnx, norm + ".", onnx.apply("Add", { x, part(x) }, norm + "_sum"), s.layerNormEps);
}

} // namespace

TransformerLayer::TransformerLayer(std::string type, std::string displayName, std::string help,
    std::vector<std::string> inputs, std::vector<AttentionPart> parts)
    : LayerType({ std::move(type), std::move(displayName), category::kAttention, std::move(help),
        transformerParams(parts), std::move(inputs), false, { "out" }, "", maskInputs(parts) })
    , parts_(std::move(parts))
{
}

std::vector<std::optional<size_t>> TransformerLayer::maskPorts(const ParamReader& params) const
{
    std::vector<std::optional<size_t>> ports;
    size_t next = description().inputs.size();
    for (const AttentionPart& part : parts_)
        ports.push_back(params.boolean(part.maskParam) ? std::optional<size_t>(next++) : std::nullopt);
    return ports;
}

torch::Tensor TransformerLayer::maskOf(
    const std::vector<torch::Tensor>& inputs, const std::optional<size_t>& port, const std::string& what)
{
    return port ? headsMask(inputs.at(*port), what) : torch::Tensor();
}

TransformerSettings TransformerLayer::settingsOf(const ParamReader& params)
{
    TransformerSettings s;
    s.dModel = params.integer("d_model");
    s.nhead = params.integer("nhead");
    s.dimFeedforward = params.integer("dim_feedforward");
    s.dropout = params.real("dropout");
    s.activation = params.word("activation");
    s.layerNormEps = params.real("layer_norm_eps");
    s.normFirst = params.boolean("norm_first");
    return s;
}

void TransformerLayer::inferShape(InferenceContext& context) const
{
    const std::vector<std::string>& ports = description().inputs;
    for (size_t i = 0; i < ports.size(); ++i)
        if (!context.requireRank(i, 3, i == 0 ? "N×T×d_model" : "N×S×d_model (" + ports.at(i) + ")"))
            return;
    const Shape& input = context.input(0);
    const int64_t features = context.inferFromInput(
        "d_model", input[2], "features per position", "set d_model to " + std::to_string(input[2]) + " or to auto");
    const int64_t heads = context.params().integer("nhead");
    if (features % heads != 0)
        context.error(type() + ": d_model " + std::to_string(features) + " is not divisible by nhead "
            + std::to_string(heads) + "; choose nhead among the divisors of " + std::to_string(features));
    for (size_t i = 1; i < ports.size(); ++i)
        if (context.input(i)[2] != features)
            context.error(type() + ": " + ports.at(i) + " " + context.input(i).toString() + " must have the "
                + std::to_string(features) + " features (d_model) of " + ports.at(0) + " " + input.toString());
    const std::vector<std::optional<size_t>> masks = maskPorts(context.params());
    for (size_t p = 0; p < parts_.size(); ++p) {
        if (!masks[p])
            continue;
        const AttentionPart& part = parts_[p];
        const int64_t keys = part.fromMemory ? context.input(1)[1] : input[1];
        checkAttentionMask(context, { type(), part.maskPort, part.maskParam }, context.input(*masks[p]), heads,
            input[1], keys, !part.fromMemory && context.params().boolean("causal"),
            part.fromMemory ? "T is " + ports.at(0) + "'s length, S memory's" : "T is the sequence's length");
    }
    context.setOutput(input);
}

std::optional<PythonCode> TransformerLayer::pythonCode(
    const BuildContext& context, const std::string& attribute, const std::vector<std::string>& inputs) const
{
    const TransformerSettings s = settingsOf(context.params);
    const std::string constructor = "nn." + type() + "(" + std::to_string(s.dModel) + ", " + std::to_string(s.nhead)
        + ", dim_feedforward=" + std::to_string(s.dimFeedforward) + ", dropout=" + python::real(s.dropout)
        + ", activation=" + python::quoted(s.activation) + ", layer_norm_eps=" + python::real(s.layerNormEps)
        + ", batch_first=True, norm_first=" + python::boolean(s.normFirst) + ")";
    const std::string x = python::firstInput(inputs);
    std::string forward = "self." + attribute + "(" + x;
    for (size_t i = 1; i < description().inputs.size(); ++i)
        forward += ", " + inputs.at(i);
    if (context.params.boolean("causal"))
        forward += ", " + parts_.front().pytorchMask + "=torch.ones(" + python::operand(x) + ".size(1), "
            + python::operand(x) + ".size(1), dtype=torch.bool, device=" + python::operand(x) + ".device).triu(1)";
    // PyTorch's masks are T×S or (N·nhead)×T×S, the heads of a sample together.
    const std::vector<std::optional<size_t>> masks = maskPorts(context.params);
    for (size_t p = 0; p < parts_.size(); ++p)
        if (masks[p])
            forward += ", " + parts_[p].pytorchMask + "="
                + pythonAttentionMask(inputs.at(*masks[p]), context.inputs.at(*masks[p]).rank(), s.nhead);
    return PythonCode { constructor, forward + ")" };
}

std::optional<std::string> TransformerLayer::torchScriptBody(const BuildContext& context) const
{
    const TransformerSettings s = settingsOf(context.params);
    const std::vector<std::optional<size_t>> masks = maskPorts(context.params);
    std::string body = "h = x0\n";
    int norm = 0;
    for (size_t p = 0; p < parts_.size(); ++p) {
        const AttentionPart& part = parts_[p];
        const AttentionExport attention { part.prefix, s.dModel, s.nhead, true,
            !part.fromMemory && context.params.boolean("causal") };
        const std::string mask = masks[p] ? torchScriptAttentionMask(
                                                "x" + std::to_string(*masks[p]), context.inputs.at(*masks[p]).rank())
                                          : std::string();
        const std::string tag = "a" + std::to_string(++norm);
        body += residualScript(
            s, "norm" + std::to_string(norm),
            [&](const std::string& input, const std::string& result) {
                const std::string source = part.fromMemory ? "x1" : input;
                return torchscript::multiheadAttention(attention, result, input, source, source, tag, mask);
            },
            tag);
    }
    body += residualScript(
        s, "norm" + std::to_string(norm + 1),
        [&](const std::string& input, const std::string& result) { return feedForwardScript(s, input, result); },
        "f");
    return body + "return h";
}

int64_t TransformerLayer::multiplyAccumulates(const BuildContext& context) const
{
    const TransformerSettings s = settingsOf(context.params);
    const int64_t queries = context.inputs.at(0)[1];
    int64_t total = 2 * queries * s.dModel * s.dimFeedforward;
    for (const AttentionPart& part : parts_) {
        const int64_t keys = part.fromMemory ? context.inputs.at(1)[1] : queries;
        total += (2 * queries + 2 * keys) * s.dModel * s.dModel + 2 * queries * keys * s.dModel;
    }
    return total;
}

bool TransformerLayer::onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const
{
    const TransformerSettings s = settingsOf(context.params);
    const int64_t queries = context.inputs.at(0)[1];
    const std::vector<std::optional<size_t>> masks = maskPorts(context.params);
    std::string h = onnx.inputs().at(0);
    int norm = 0;
    for (size_t p = 0; p < parts_.size(); ++p) {
        const AttentionPart& part = parts_[p];
        const AttentionExport attention { part.prefix, s.dModel, s.nhead, true,
            !part.fromMemory && context.params.boolean("causal") };
        const int64_t keys = part.fromMemory ? context.inputs.at(1)[1] : queries;
        const std::string mask = masks[p]
            ? onnxAttentionMask(onnx, onnx.inputs().at(*masks[p]), context.inputs.at(*masks[p]).rank())
            : std::string();
        h = residualOnnx(onnx, s, "norm" + std::to_string(++norm), h, [&](const std::string& input) {
            const std::string& source = part.fromMemory ? onnx.inputs().at(1) : input;
            return onnxgraph::multiheadAttention(onnx, attention, input, source, source, queries, keys, mask);
        });
    }
    h = residualOnnx(onnx, s, "norm" + std::to_string(norm + 1), h, [&](const std::string& input) {
        const std::string hidden = onnxgraph::linear(onnx, input, "linear1.weight", "linear1.bias", 0,
            s.dimFeedforward, "linear1");
        return onnxgraph::linear(onnx, onnxgraph::activation(onnx, hidden, s.activation), "linear2.weight",
            "linear2.bias", 0, s.dModel, "linear2");
    });
    onnx.node("Identity", { h }, { onnx.output() });
    return true;
}

} // namespace netdraft::engine
