// PixelShuffle: trades channels for resolution, N×C·r²×H×W into N×C×H·r×W·r.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class PixelShuffleLayer : public LayerType {
public:
    PixelShuffleLayer()
        : LayerType({ "PixelShuffle", "Pixel Shuffle", category::kReshape,
            "Trades channels for resolution: N×(C·r²)×H×W becomes N×C×(H·r)×(W·r) with r the "
            "upscale_factor, the learned upsampling of super-resolution networks (a Conv2d making r² times "
            "the channels, then this block).",
            { ParamSpec::integer("upscale_factor", 2).min(1).onBlock().help(
                "r: each output map is r times taller and wider; the channels must be divisible by r².") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        if (!context.requireRank(0, 4, "N×C×H×W"))
            return;
        const Shape& input = context.input();
        const int64_t factor = context.params().integer("upscale_factor");
        const int64_t square = factor * factor;
        if (input[1] % square != 0) {
            context.error("PixelShuffle needs channels divisible by upscale_factor² = " + std::to_string(square)
                + ", got " + std::to_string(input[1]) + " in " + input.toString());
            return;
        }
        context.setOutput(Shape({ input[0], input[1] / square, input[2] * factor, input[3] * factor }));
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const int64_t factor = context.params.integer("upscale_factor");
        return { nullptr, [factor](const std::vector<torch::Tensor>& in) { return torch::pixel_shuffle(in[0], factor); } };
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        return PythonCode { {}, "F.pixel_shuffle(" + python::firstInput(inputs) + ", "
                + std::to_string(context.params.integer("upscale_factor")) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        return "return torch.pixel_shuffle(x0, " + std::to_string(context.params.integer("upscale_factor")) + ")";
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        // DepthToSpace in CRD order is exactly pixel_shuffle.
        onnx.node("DepthToSpace", { onnx.inputs().at(0) }, { onnx.output() },
            { { "blocksize", context.params.integer("upscale_factor") }, { "mode", std::string("CRD") } });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(PixelShuffleLayer);

} // namespace
} // namespace netdraft::engine
