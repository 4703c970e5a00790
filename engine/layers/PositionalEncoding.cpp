// PositionalEncoding: adds the fixed sinusoidal position code of "Attention Is All You Need".

#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PositionTableLayer.h"

#include <cmath>

namespace netdraft::engine {
namespace {

/// The buffer "pe" (max_len×d_model): sin at even features, cos at odd ones, wavelengths from 2π to 10000·2π.
torch::Tensor sinusoidTable(int64_t maxLen, int64_t dModel)
{
    using torch::indexing::Slice;
    const torch::Tensor position = torch::arange(maxLen, torch::kFloat32).unsqueeze(1);
    const torch::Tensor rate
        = torch::exp(torch::arange(0, dModel, 2, torch::kFloat32) * (-std::log(10000.0) / double(dModel)));
    torch::Tensor pe = torch::zeros({ maxLen, dModel });
    pe.index_put_({ Slice(), Slice(0, torch::indexing::None, 2) }, torch::sin(position * rate));
    pe.index_put_({ Slice(), Slice(1, torch::indexing::None, 2) },
        torch::cos(position * rate).index({ Slice(), Slice(0, dModel / 2) }));
    return pe;
}

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

class PositionalEncodingLayer : public PositionTableLayer {
public:
    PositionalEncodingLayer()
        : PositionTableLayer("PositionalEncoding", "Positional Encoding (sinusoidal)",
            "Attention alone does not know the order of a sequence; this block adds to position t a fixed pattern "
            "of sines and cosines of different wavelengths (Vaswani et al., 2017), so the layers after it can tell "
            "positions apart. Nothing is learned. Input and output N×T×d_model, T at most max_len.",
            "Longest sequence the table covers.", { "pe", false, kPositionalEncodingClass })
    {
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const int64_t length = context.inputs.at(0)[1];
        onnx.node("Add", { onnx.inputs().at(0), onnx.parameterRows("pe", 0, length, false) }, { onnx.output() });
        return true;
    }

protected:
    torch::Tensor initialTable(int64_t maxLen, int64_t dModel) const override { return sinusoidTable(maxLen, dModel); }
};

NETDRAFT_REGISTER_LAYER(PositionalEncodingLayer);

} // namespace
} // namespace netdraft::engine
