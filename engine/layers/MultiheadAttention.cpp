// MultiheadAttention: scaled dot-product attention in several heads over batch-first sequences.

#include "engine/layers/AttentionExport.h"
#include "engine/layers/AttentionMask.h"
#include "engine/layers/AttentionModules.h"
#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

AttentionSettings attentionSettingsOf(const ParamReader& params)
{
    return { params.integer("embed_dim"), params.integer("num_heads"), params.real("dropout"),
        params.boolean("bias") };
}

/// Where each input of a block sits in port order: query, (key, value), (mask).
struct AttentionPorts {
    size_t key = 0;
    size_t value = 0;
    std::optional<size_t> mask;

    static AttentionPorts of(const ParamReader& params)
    {
        const bool separate = !params.boolean("self_attention");
        AttentionPorts ports { separate ? 1u : 0u, separate ? 2u : 0u, std::nullopt };
        if (params.boolean("mask_input"))
            ports.mask = separate ? 3u : 1u;
        return ports;
    }
};

class MultiheadAttentionLayer : public LayerType {
public:
    MultiheadAttentionLayer()
        : LayerType(describe())
    {
    }

    static LayerDescription describe()
    {
        LayerDescription description { "MultiheadAttention", "Multi-Head Attention", category::kAttention,
            "Every position of the query sequence looks at every position of the key sequence and takes a "
            "weighted mean of the values, the weights being softmax(q·kᵀ/√d) of learned projections; num_heads "
            "such attentions run side by side on embed_dim/num_heads features each. With self_attention the "
            "one input is query, key and value. Sequences are batch-first: query N×T×embed_dim, key and value "
            "N×S×embed_dim; output N×T×embed_dim. With mask_input a mask port takes attn_mask: N×T×S (one mask per "
            "sample, shared by the heads), N×num_heads×T×S or T×S; bool (true: may not attend) or float (added to "
            "the scores, -inf: may not attend). Same parameters as PyTorch's nn.MultiheadAttention.",
            { ParamSpec::inferredInteger("embed_dim")
                    .help("Features per position; inferred from the query unless pinned. Must be divisible by "
                          "num_heads."),
                ParamSpec::integer("num_heads", 4).min(1).onBlock().help("Attention heads run in parallel."),
                ParamSpec::boolean("self_attention", true)
                    .onBlock()
                    .help("On: one input port, attending the sequence to itself. Off: separate query, key and "
                          "value ports, e.g. a decoder attending to an encoder's output."),
                ParamSpec::boolean("causal", false)
                    .help("Position t may only look at positions up to t (a language model must not see the "
                          "future)."),
                ParamSpec::boolean("mask_input", false)
                    .onBlock()
                    .help("On: a mask input port, PyTorch's attn_mask: which key positions each query may see "
                          "(bool, true: may not attend) or what is added to its scores (float, -inf: may not "
                          "attend). Shape N×T×S (per sample), N×num_heads×T×S or T×S."),
                ParamSpec::real("dropout", 0.0)
                    .min(0)
                    .max(1)
                    .isAdvanced()
                    .help("Dropout on the attention weights while training."),
                ParamSpec::boolean("bias", true).isAdvanced().help("Learn biases of the projections.") } };
        description.inputs = { "query" };
        description.conditionalInputs = { { "key", "self_attention", false }, { "value", "self_attention", false },
            { "mask", "mask_input", true } };
        return description;
    }

    void inferShape(InferenceContext& context) const override
    {
        const AttentionPorts ports = AttentionPorts::of(context.params());
        for (size_t i = 0; i < context.inputs().size(); ++i)
            if (i != ports.mask && !context.requireRank(i, 3, "N×T×embed_dim"))
                return;
        const Shape& query = context.input(0);
        const int64_t embed = context.inferFromInput("embed_dim", query[2], "features per position",
            "set embed_dim to " + std::to_string(query[2]) + " or to auto");
        const int64_t heads = context.params().integer("num_heads");
        if (embed % heads != 0)
            context.error("MultiheadAttention: embed_dim " + std::to_string(embed) + " is not divisible by num_heads "
                + std::to_string(heads) + "; choose num_heads among the divisors of " + std::to_string(embed));
        const Shape& key = context.input(ports.key);
        if (ports.key != 0) {
            const Shape& value = context.input(ports.value);
            if (key[2] != embed || value[2] != embed)
                context.error("MultiheadAttention: key " + key.toString() + " and value " + value.toString()
                    + " must have the query's " + std::to_string(embed) + " features (embed_dim)");
            if (key[1] != value[1])
                context.error("MultiheadAttention: key " + key.toString() + " and value " + value.toString()
                    + " must have the same length");
        }
        if (ports.mask)
            checkAttentionMask(context, { "MultiheadAttention", "mask", "mask_input" }, context.input(*ports.mask),
                heads, query[1], key[1], context.params().boolean("causal"), "T is the query's length, S the key's");
        context.setOutput(query);
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        auto module = std::make_shared<MultiheadAttentionModule>(attentionSettingsOf(context.params));
        const bool causal = context.params.boolean("causal");
        const AttentionPorts ports = AttentionPorts::of(context.params);
        return { module, [module, causal, ports](const std::vector<torch::Tensor>& in) {
                    const torch::Tensor mask = ports.mask ? headsMask(in.at(*ports.mask)) : torch::Tensor();
                    return module->forward(in[0], in.at(ports.key), in.at(ports.value), causal, mask);
                } };
    }

    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override
    {
        const auto& params = context.params;
        const AttentionPorts ports = AttentionPorts::of(params);
        const std::string query = python::firstInput(inputs);
        const std::string key = inputs.at(ports.key);
        const std::string value = inputs.at(ports.value);
        std::string forward = "self." + attribute + "(" + query + ", " + key + ", " + value + ", need_weights=False";
        if (params.boolean("causal"))
            forward += ", attn_mask=torch.ones(" + python::operand(query) + ".size(1), " + python::operand(key)
                + ".size(1), dtype=torch.bool, device=" + python::operand(query) + ".device).triu(1)";
        if (ports.mask)
            forward += ", attn_mask="
                + pythonAttentionMask(
                    inputs.at(*ports.mask), context.inputs.at(*ports.mask).rank(), params.integer("num_heads"));
        return PythonCode { "nn.MultiheadAttention(" + std::to_string(params.integer("embed_dim")) + ", "
                + std::to_string(params.integer("num_heads")) + ", dropout=" + python::real(params.real("dropout"))
                + ", bias=" + python::boolean(params.boolean("bias")) + ", batch_first=True)",
            forward + ")[0]" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        const AttentionPorts ports = AttentionPorts::of(context.params);
        auto argument = [](size_t port) { return "x" + std::to_string(port); };
        std::string mask;
        if (ports.mask)
            mask = torchScriptAttentionMask(argument(*ports.mask), context.inputs.at(*ports.mask).rank());
        return torchscript::multiheadAttention(
                   exportOf(context), "y", "x0", argument(ports.key), argument(ports.value), "", mask)
            + "return y";
    }

    /// The projections (query and output over T positions, key and value over S) plus Q·Kᵀ and A·V.
    int64_t multiplyAccumulates(const BuildContext& context) const override
    {
        const int64_t embed = context.params.integer("embed_dim");
        const int64_t queries = context.inputs.at(0)[1];
        const int64_t keys = context.inputs.at(AttentionPorts::of(context.params).key)[1];
        return (2 * queries + 2 * keys) * embed * embed + 2 * queries * keys * embed;
    }

    /// A float mask is added to the scores (a graph makes no bool tensors: its values are float32 or int64).
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const auto& in = onnx.inputs();
        const AttentionPorts ports = AttentionPorts::of(context.params);
        const int64_t queries = context.inputs.at(0)[1];
        const int64_t keys = context.inputs.at(ports.key)[1];
        std::string mask;
        if (ports.mask)
            mask = onnxAttentionMask(onnx, in.at(*ports.mask), context.inputs.at(*ports.mask).rank());
        const std::string result = onnxgraph::multiheadAttention(
            onnx, exportOf(context), in[0], in.at(ports.key), in.at(ports.value), queries, keys, mask);
        onnx.node("Identity", { result }, { onnx.output() });
        return true;
    }

private:
    static AttentionExport exportOf(const BuildContext& context)
    {
        const auto& params = context.params;
        return { "", params.integer("embed_dim"), params.integer("num_heads"), params.boolean("bias"),
            params.boolean("causal") };
    }
};

NETDRAFT_REGISTER_LAYER(MultiheadAttentionLayer);

} // namespace
} // namespace netdraft::engine
