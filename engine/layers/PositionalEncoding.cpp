// PositionalEncoding: adds the fixed sinusoidal position code of "Attention Is All You Need".

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

#include <cmath>

namespace netdraft::engine {
namespace {

/// The buffer "pe" (max_len×d_model): sin at even features, cos at odd ones, wavelengths from 2π to 10000·2π.
struct PositionalEncodingModule : torch::nn::Module {
    PositionalEncodingModule(int64_t maxLen, int64_t dModel)
    {
        using torch::indexing::Slice;
        const torch::Tensor position = torch::arange(maxLen, torch::kFloat32).unsqueeze(1);
        const torch::Tensor rate
            = torch::exp(torch::arange(0, dModel, 2, torch::kFloat32) * (-std::log(10000.0) / double(dModel)));
        torch::Tensor pe = torch::zeros({ maxLen, dModel });
        pe.index_put_({ Slice(), Slice(0, torch::indexing::None, 2) }, torch::sin(position * rate));
        pe.index_put_({ Slice(), Slice(1, torch::indexing::None, 2) },
            torch::cos(position * rate).index({ Slice(), Slice(0, dModel / 2) }));
        this->pe = register_buffer("pe", pe);
    }
    torch::Tensor pe;
};

const char* kPositionalEncodingClass = R"(class PositionalEncoding(nn.Module):
    """Adds the fixed sinusoidal position code (buffer pe: max_len×d_model) to an N×T×d_model input."""

    def __init__(self, d_model, max_len):
        super().__init__()
        import math
        position = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)
        rate = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float32) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, d_model)
        pe[:, 0::2] = torch.sin(position * rate)
        pe[:, 1::2] = torch.cos(position * rate)[:, : d_model // 2]
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[: x.size(1)]
)";

class PositionalEncodingLayer : public LayerType {
public:
    PositionalEncodingLayer()
        : LayerType({ "PositionalEncoding", "Positional Encoding (sinusoidal)", category::kEmbedding,
            "Attention alone does not know the order of a sequence; this block adds to position t a fixed pattern "
            "of sines and cosines of different wavelengths (Vaswani et al., 2017), so the layers after it can tell "
            "positions apart. Nothing is learned. Input and output N×T×d_model, T at most max_len.",
            { ParamSpec::inferredInteger("d_model")
                    .help("Features per position; inferred from the input unless pinned."),
                ParamSpec::integer("max_len", 512).min(1).onBlock().help("Longest sequence the table covers.") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        if (!context.requireRank(0, 3, "N×T×d_model"))
            return;
        const Shape& input = context.input();
        context.inferFromInput("d_model", input[2], "features per position",
            "set d_model to " + std::to_string(input[2]) + " or to auto");
        const int64_t maxLen = context.params().integer("max_len");
        if (input[1] > maxLen)
            context.error("PositionalEncoding: the sequence has " + std::to_string(input[1])
                + " positions but max_len is " + std::to_string(maxLen) + "; raise max_len to at least "
                + std::to_string(input[1]));
        context.setOutput(input);
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        auto module = std::make_shared<PositionalEncodingModule>(
            context.params.integer("max_len"), context.params.integer("d_model"));
        return { module, [module](const std::vector<torch::Tensor>& in) {
                    return in[0] + module->pe.slice(0, 0, in[0].size(1));
                } };
    }

    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override
    {
        return PythonCode { "PositionalEncoding(" + std::to_string(context.params.integer("d_model")) + ", "
                + std::to_string(context.params.integer("max_len")) + ")",
            "self." + attribute + "(" + python::firstInput(inputs) + ")", kPositionalEncodingClass };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        return "return x0 + self.pe[0:" + std::to_string(context.inputs.at(0)[1]) + "]";
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        OnnxTensorValues table = onnx.parameterValues("pe");
        const int64_t length = context.inputs.at(0)[1];
        table.floats.resize(static_cast<size_t>(length * table.dims.at(1)));
        table.dims[0] = length;
        onnx.node("Add", { onnx.inputs().at(0), onnx.constant("pe", table) }, { onnx.output() });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(PositionalEncodingLayer);

} // namespace
} // namespace netdraft::engine
