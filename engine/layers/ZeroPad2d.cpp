// ZeroPad2d: adds rows and columns of zeros around each feature map.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class ZeroPad2dLayer : public LayerType {
public:
    ZeroPad2dLayer()
        : LayerType({ "ZeroPad2d", "Zero Padding 2-D", category::kReshape,
            "Adds columns of zeros left and right and rows of zeros above and below each feature map: "
            "N×C×H×W becomes N×C×(H+top+bottom)×(W+left+right), e.g. an odd padding before a strided "
            "convolution, as nn.ZeroPad2d does.",
            { ParamSpec::integer("left", 1).min(0).onBlock().help("Columns of zeros added on the left."),
                ParamSpec::integer("right", 1).min(0).onBlock().help("Columns of zeros added on the right."),
                ParamSpec::integer("top", 1).min(0).onBlock().help("Rows of zeros added above."),
                ParamSpec::integer("bottom", 1).min(0).onBlock().help("Rows of zeros added below.") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        if (!context.requireRank(0, 4, "N×C×H×W"))
            return;
        const ParamReader& params = context.params();
        std::vector<int64_t> dims = context.input().dims();
        dims[2] += params.integer("top") + params.integer("bottom");
        dims[3] += params.integer("left") + params.integer("right");
        context.setOutput(Shape(dims));
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const IntList pads = padding(context.params);
        return { nullptr, [pads](const std::vector<torch::Tensor>& in) { return torch::constant_pad_nd(in[0], pads, 0); } };
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        return PythonCode { {}, "F.pad(" + python::firstInput(inputs) + ", " + python::tuple(padding(context.params)) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        return "return torch.constant_pad_nd(x0, " + python::list(padding(context.params)) + ", 0.0)";
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const ParamReader& params = context.params;
        // ONNX lists the starts of every axis, then the ends: N, C, H (top), W (left), then the same.
        const IntList pads { 0, 0, params.integer("top"), params.integer("left"), 0, 0, params.integer("bottom"),
            params.integer("right") };
        onnx.node("Pad", { onnx.inputs().at(0), onnx.ints("pads", pads) }, { onnx.output() },
            { { "mode", std::string("constant") } });
        return true;
    }

private:
    /// PyTorch's order: last dimension first (left, right), then the one before (top, bottom).
    static IntList padding(const ParamReader& params)
    {
        return { params.integer("left"), params.integer("right"), params.integer("top"), params.integer("bottom") };
    }
};

NETDRAFT_REGISTER_LAYER(ZeroPad2dLayer);

} // namespace
} // namespace netdraft::engine
