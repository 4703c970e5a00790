// GRU: gated recurrent unit over a sequence.

#include "engine/layers/RecurrentLayer.h"

namespace netdraft::engine {
namespace {

class GRULayer : public RecurrentLayer {
public:
    GRULayer()
        : RecurrentLayer("GRU",
            "Gated recurrent unit: reads a sequence step by step, updating its hidden state "
            "through reset and update gates; lighter than an LSTM and often as good. Input "
            "N×T×features; output every step's hidden state (N×T×hidden_size) or only the "
            "last (N×hidden_size).")
    {
    }

protected:
    Recurrent buildRecurrent(const RecurrentSettings& settings, const ParamReader&) const override
    {
        torch::nn::GRU gru(makeOptions<torch::nn::GRUOptions>(settings));
        return { gru.ptr(), [gru](const torch::Tensor& x) mutable { return std::get<0>(gru->forward(x)); } };
    }

    std::string scriptFunction(const ParamReader&) const override { return "gru"; }
    int64_t gateCount() const override { return 3; }
    OnnxRecurrent onnxRecurrent(const ParamReader&, int64_t) const override
    {
        // ONNX z, r, n from PyTorch's r, z, n; PyTorch applies the reset gate after the recurrent product.
        return { "GRU", { 1, 0, 2 }, { { "linear_before_reset", int64_t(1) } } };
    }
};

NETDRAFT_REGISTER_LAYER(GRULayer);

} // namespace
} // namespace netdraft::engine
