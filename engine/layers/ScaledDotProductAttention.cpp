// ScaledDotProductAttention: softmax(Q·Kᵀ/√d)·V of three inputs, without learned weights.

#include "engine/layers/AttentionExport.h"
#include "engine/layers/AttentionModules.h"
#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class ScaledDotProductAttentionLayer : public LayerType {
public:
    ScaledDotProductAttentionLayer()
        : LayerType(describe())
    {
    }

    static LayerDescription describe()
    {
        LayerDescription description { "ScaledDotProductAttention", "Scaled Dot-Product Attention",
            category::kAttention,
            "The core of attention without learned weights: softmax(Q·Kᵀ/√d)·V over the last two dimensions. "
            "query N×…×T×d, key N×…×S×d, value N×…×S×dv (the same leading sizes, e.g. heads); output "
            "N×…×T×dv. Build your own attention from Linear blocks around it, or use Multi-Head Attention.",
            { ParamSpec::boolean("causal", false)
                    .onBlock()
                    .help("Query position t may only look at key positions up to t.") } };
        description.inputs = { "query", "key", "value" };
        return description;
    }

    void inferShape(InferenceContext& context) const override
    {
        const Shape& query = context.input(0);
        const Shape& key = context.input(1);
        const Shape& value = context.input(2);
        if (query.rank() < 3 || key.rank() != query.rank() || value.rank() != query.rank()) {
            context.error("ScaledDotProductAttention needs query N×…×T×d, key N×…×S×d and value N×…×S×dv of the "
                          "same rank (at least 3), got "
                + query.toString() + ", " + key.toString() + " and " + value.toString());
            return;
        }
        const int64_t rank = query.rank();
        bool ok = true;
        for (int64_t axis = 1; axis < rank - 2; ++axis)
            ok = ok && key[axis] == query[axis] && value[axis] == query[axis];
        if (!ok)
            context.error("ScaledDotProductAttention: the leading sizes of query " + query.toString() + ", key "
                + key.toString() + " and value " + value.toString() + " must agree");
        if (key[rank - 1] != query[rank - 1])
            context.error("ScaledDotProductAttention: key " + key.toString() + " must have the query's "
                + std::to_string(query[rank - 1]) + " features in its last dimension");
        if (key[rank - 2] != value[rank - 2])
            context.error("ScaledDotProductAttention: key " + key.toString() + " and value " + value.toString()
                + " must have the same length (second to last dimension)");
        std::vector<int64_t> dims = query.dims();
        dims.back() = value.back();
        context.setOutput(Shape(dims));
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const bool causal = context.params.boolean("causal");
        return { nullptr, [causal](const std::vector<torch::Tensor>& in) {
                    return scaledDotProductAttention(in[0], in[1], in[2], causal);
                } };
    }

    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string&,
        const std::vector<std::string>& inputs) const override
    {
        return PythonCode { {}, expression(context, inputs.at(0), inputs.at(1), inputs.at(2)) };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        return "return " + expression(context, "x0", "x1", "x2");
    }

    /// Q·Kᵀ and A·V: T·S·(d + dv) per leading index.
    int64_t multiplyAccumulates(const BuildContext& context) const override
    {
        const Shape& query = context.inputs.at(0);
        const Shape& value = context.inputs.at(2);
        int64_t leading = 1;
        for (int64_t axis = 1; axis < query.rank() - 2; ++axis)
            leading *= query[axis];
        return leading * query[query.rank() - 2] * value[value.rank() - 2] * (query.back() + value.back());
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const Shape& query = context.inputs.at(0);
        const std::string result = onnxgraph::scaledDotProduct(onnx, onnx.inputs().at(0), onnx.inputs().at(1),
            onnx.inputs().at(2), query.rank(), query.back(), context.params.boolean("causal"),
            query[query.rank() - 2], context.inputs.at(1)[query.rank() - 2]);
        onnx.node("Identity", { result }, { onnx.output() });
        return true;
    }

private:
    static std::string expression(
        const BuildContext& context, const std::string& query, const std::string& key, const std::string& value)
    {
        return torchscript::scaledDotProduct(
            query, key, value, context.inputs.at(0).back(), context.params.boolean("causal"));
    }
};

NETDRAFT_REGISTER_LAYER(ScaledDotProductAttentionLayer);

} // namespace
} // namespace netdraft::engine
