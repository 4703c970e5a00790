// Upsample: enlarges N×C×H×W feature maps by a scale factor or to a fixed size.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

#include <cmath>

namespace netdraft::engine {
namespace {

/// size: two integers, or 'none' to scale by scale_factor instead.
ParamSpec sizeParam()
{
    ParamSpec spec = ParamSpec::tuple("size", 2, 1).min(1).alsoAllow({ "none" });
    spec.defaultValue = std::string("none");
    return spec.help("Output height×width, or 'none' to use scale_factor.");
}

class UpsampleLayer : public LayerType {
public:
    UpsampleLayer()
        : LayerType({ "Upsample", "Upsample", category::kReshape,
            "Enlarges N×C×H×W feature maps by scale_factor (or to a fixed size) without learned "
            "weights: 'nearest' repeats pixels, 'bilinear' interpolates between them.",
            { ParamSpec::real("scale_factor", 2.0)
                    .min(0.01)
                    .onBlock()
                    .help("Multiplier for height and width (the output size is rounded down)."),
                sizeParam(),
                ParamSpec::choice("mode", "nearest", { "nearest", "bilinear" })
                    .onBlock()
                    .help("How new pixels are filled: copy the nearest or interpolate."),
                ParamSpec::boolean("align_corners", false)
                    .isAdvanced()
                    .help("Bilinear only: align the corner pixels of input and output.") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        if (!context.requireRank(0, 4, "N×C×H×W"))
            return;
        const Shape& input = context.input();
        IntList spatial;
        if (usesSize(context.params())) {
            spatial = context.params().list("size");
        } else {
            const double scale = context.params().real("scale_factor");
            for (int64_t i = 2; i < 4; ++i)
                spatial.push_back(static_cast<int64_t>(std::floor(static_cast<double>(input[i]) * scale)));
            if (spatial[0] < 1 || spatial[1] < 1) {
                context.error("scale_factor " + formatParamValue(scale) + " shrinks "
                    + formatFactors({ input[2], input[3] }) + " to nothing");
                return;
            }
        }
        context.setOutput(Shape { Shape::kBatch, input[1], spatial[0], spatial[1] });
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const auto& params = context.params;
        namespace F = torch::nn::functional;
        F::InterpolateFuncOptions options;
        if (usesSize(params))
            options.size(params.list("size"));
        else // uses the factor itself like PyTorch's default; saying so silences LibTorch's warning
            options.scale_factor(std::vector<double>(2, params.real("scale_factor"))).recompute_scale_factor(false);
        if (bilinear(params))
            options.mode(torch::kBilinear).align_corners(params.boolean("align_corners"));
        else
            options.mode(torch::kNearest);
        return { nullptr, [options](const std::vector<torch::Tensor>& in) { return F::interpolate(in[0], options); } };
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        const auto& params = context.params;
        std::string call = "nn.functional.interpolate(" + python::firstInput(inputs) + ", ";
        call += usesSize(params) ? "size=" + python::tuple(params.list("size"))
                                 : "scale_factor=" + python::real(params.real("scale_factor"));
        call += ", mode=" + python::quoted(params.word("mode"));
        if (bilinear(params))
            call += ", align_corners=" + python::boolean(params.boolean("align_corners"));
        return PythonCode { {}, call + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        // The .vec overloads take either the size or the scale factors, like F.interpolate.
        const auto& params = context.params;
        const std::string size = usesSize(params) ? python::list(params.list("size")) : "None";
        const std::string scales
            = usesSize(params) ? "None" : python::realList(RealList(2, params.real("scale_factor")));
        if (bilinear(params))
            return "return torch.upsample_bilinear2d(x0, " + size + ", "
                + python::boolean(params.boolean("align_corners")) + ", " + scales + ")";
        return "return torch.upsample_nearest2d(x0, " + size + ", " + scales + ")";
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const auto& params = context.params;
        const std::string& x = onnx.inputs().at(0);
        std::vector<OnnxAttribute> attributes;
        if (bilinear(params))
            attributes = { { "mode", std::string("linear") },
                { "coordinate_transformation_mode",
                    std::string(params.boolean("align_corners") ? "align_corners" : "pytorch_half_pixel") } };
        else // PyTorch's nearest: source = floor(destination / scale)
            attributes
                = { { "mode", std::string("nearest") }, { "coordinate_transformation_mode", std::string("asymmetric") },
                      { "nearest_mode", std::string("floor") } };
        if (!usesSize(params)) {
            const float scale = static_cast<float>(params.real("scale_factor"));
            const std::string scales
                = onnx.constant("scales", OnnxTensorValues::ofFloats({ 4 }, { 1.0f, 1.0f, scale, scale }));
            onnx.node("Resize", { x, "", scales }, { onnx.output() }, attributes);
            return true;
        }
        // Sizes name every dimension: the dynamic batch and channels from the input, then size.
        const std::string leading = onnx.apply("Shape", { x }, "leading", { { "end", int64_t(2) } });
        const std::string sizes = onnx.apply(
            "Concat", { leading, onnx.ints("size", params.list("size")) }, "sizes", { { "axis", int64_t(0) } });
        onnx.node("Resize", { x, "", "", sizes }, { onnx.output() }, attributes);
        return true;
    }

private:
    static bool usesSize(const ParamReader& params) { return params.wordOrEmpty("size") != "none"; }
    static bool bilinear(const ParamReader& params) { return params.word("mode") == "bilinear"; }
};

NETDRAFT_REGISTER_LAYER(UpsampleLayer);

} // namespace
} // namespace netdraft::engine
