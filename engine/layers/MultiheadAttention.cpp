// MultiheadAttention: scaled dot-product attention in several heads over batch-first sequences.

#include "engine/layers/AttentionExport.h"
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
            "N×S×embed_dim; output N×T×embed_dim. Same parameters as PyTorch's nn.MultiheadAttention.",
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
                ParamSpec::real("dropout", 0.0)
                    .min(0)
                    .max(1)
                    .isAdvanced()
                    .help("Dropout on the attention weights while training."),
                ParamSpec::boolean("bias", true).isAdvanced().help("Learn biases of the projections.") } };
        description.inputs = { "query" };
        description.inputsSwitch = "self_attention";
        description.inputsWhenOff = { "query", "key", "value" };
        return description;
    }

    void inferShape(InferenceContext& context) const override
    {
        for (size_t i = 0; i < context.inputs().size(); ++i)
            if (!context.requireRank(i, 3, "N×T×embed_dim"))
                return;
        const Shape& query = context.input(0);
        const int64_t embed = context.inferFromInput("embed_dim", query[2], "features per position",
            "set embed_dim to " + std::to_string(query[2]) + " or to auto");
        const int64_t heads = context.params().integer("num_heads");
        if (embed % heads != 0)
            context.error("MultiheadAttention: embed_dim " + std::to_string(embed) + " is not divisible by num_heads "
                + std::to_string(heads) + "; choose num_heads among the divisors of " + std::to_string(embed));
        if (context.inputs().size() == 3) {
            const Shape& key = context.input(1);
            const Shape& value = context.input(2);
            if (key[2] != embed || value[2] != embed)
                context.error("MultiheadAttention: key " + key.toString() + " and value " + value.toString()
                    + " must have the query's " + std::to_string(embed) + " features (embed_dim)");
            if (key[1] != value[1])
                context.error("MultiheadAttention: key " + key.toString() + " and value " + value.toString()
                    + " must have the same length");
        }
        context.setOutput(query);
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        auto module = std::make_shared<MultiheadAttentionModule>(attentionSettingsOf(context.params));
        const bool causal = context.params.boolean("causal");
        return { module, [module, causal](const std::vector<torch::Tensor>& in) {
                    const torch::Tensor& key = in.size() == 3 ? in[1] : in[0];
                    const torch::Tensor& value = in.size() == 3 ? in[2] : in[0];
                    return module->forward(in[0], key, value, causal);
                } };
    }

    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override
    {
        const auto& params = context.params;
        const std::string query = python::firstInput(inputs);
        const std::string key = inputs.size() == 3 ? inputs[1] : query;
        const std::string value = inputs.size() == 3 ? inputs[2] : query;
        std::string forward = "self." + attribute + "(" + query + ", " + key + ", " + value + ", need_weights=False";
        if (params.boolean("causal"))
            forward += ", attn_mask=torch.ones(" + python::operand(query) + ".size(1), " + python::operand(key)
                + ".size(1), dtype=torch.bool, device=" + python::operand(query) + ".device).triu(1)";
        return PythonCode { "nn.MultiheadAttention(" + std::to_string(params.integer("embed_dim")) + ", "
                + std::to_string(params.integer("num_heads")) + ", dropout=" + python::real(params.real("dropout"))
                + ", bias=" + python::boolean(params.boolean("bias")) + ", batch_first=True)",
            forward + ")[0]" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        const bool separate = context.inputs.size() == 3;
        return torchscript::multiheadAttention(exportOf(context), "y", "x0", separate ? "x1" : "x0",
                   separate ? "x2" : "x0", "")
            + "return y";
    }

    /// The projections (query and output over T positions, key and value over S) plus Q·Kᵀ and A·V.
    int64_t multiplyAccumulates(const BuildContext& context) const override
    {
        const int64_t embed = context.params.integer("embed_dim");
        const int64_t queries = context.inputs.at(0)[1];
        const int64_t keys = context.inputs.size() == 3 ? context.inputs[1][1] : queries;
        return (2 * queries + 2 * keys) * embed * embed + 2 * queries * keys * embed;
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const auto& in = onnx.inputs();
        const bool separate = in.size() == 3;
        const int64_t queries = context.inputs.at(0)[1];
        const int64_t keys = separate ? context.inputs[1][1] : queries;
        const std::string result = onnxgraph::multiheadAttention(
            onnx, exportOf(context), in[0], separate ? in[1] : in[0], separate ? in[2] : in[0], queries, keys);
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
