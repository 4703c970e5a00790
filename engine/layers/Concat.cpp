// Concat: joins its inputs along one dimension (channels by default).

#include "engine/layers/DimensionParam.h"
#include "engine/layers/MergeLayer.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class ConcatLayer : public MergeLayer {
public:
    ConcatLayer()
        : MergeLayer("Concat",
            "Joins its inputs along dim (1 = channels), e.g. the skip connections of a U-Net or "
            "the branches of an Inception block. Inputs must agree in every other dimension.",
            { ParamSpec::integer("dim", 1).onBlock().help(
                "Dimension to join along; 1 is channels, negative values count from the end.") })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        const auto dim = resolveDimension(context, "dim", false);
        if (!dim)
            return;
        const Shape& first = context.input(0);
        std::vector<int64_t> dims = first.dims();
        for (size_t i = 1; i < context.inputs().size(); ++i) {
            const Shape& other = context.input(i);
            std::vector<int64_t> a = first.dims(), b = other.dims();
            if (a.size() == b.size())
                a[*dim] = b[*dim] = 0; // compare everything but the joined dimension
            if (a != b) {
                context.error("Concat along dim " + std::to_string(*dim)
                    + " needs inputs equal in every other "
                      "dimension: in1 is "
                    + first.toString() + " but in" + std::to_string(i + 1) + " is " + other.toString());
                return;
            }
            dims[*dim] += other[*dim];
        }
        context.setOutput(Shape(dims));
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        onnx.node("Concat", onnx.inputs(), { onnx.output() }, { { "axis", context.params.integer("dim") } });
        return true;
    }

protected:
    torch::Tensor combine(const std::vector<torch::Tensor>& inputs, const ParamReader& params) const override
    {
        return torch::cat(inputs, params.integer("dim"));
    }

    std::string expression(const std::vector<std::string>& operands, const ParamReader& params) const override
    {
        return "torch.cat([" + python::join(operands, ", ") + "], dim=" + std::to_string(params.integer("dim")) + ")";
    }
};

NETDRAFT_REGISTER_LAYER(ConcatLayer);

} // namespace
} // namespace netdraft::engine
