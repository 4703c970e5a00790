// LSTM: long short-term memory over a sequence.

#include "engine/layers/RecurrentLayer.h"

namespace netdraft::engine {
namespace {

class LSTMLayer : public RecurrentLayer {
public:
    LSTMLayer()
        : RecurrentLayer("LSTM",
            "Long short-term memory: reads a sequence step by step, keeping a hidden state "
            "and a gated memory cell that carry information over long distances. Input "
            "N×T×features; output every step's hidden state (N×T×hidden_size) or only the "
            "last (N×hidden_size).")
    {
    }

protected:
    Recurrent buildRecurrent(const RecurrentSettings& settings, const ParamReader&) const override
    {
        torch::nn::LSTM lstm(makeOptions<torch::nn::LSTMOptions>(settings));
        return { lstm.ptr(), [lstm](const torch::Tensor& x) mutable { return std::get<0>(lstm->forward(x)); } };
    }

    std::string scriptFunction(const ParamReader&) const override { return "lstm"; }
    bool hasCellState() const override { return true; }
    int64_t gateCount() const override { return 4; }
    OnnxRecurrent onnxRecurrent(const ParamReader&, int64_t) const override
    {
        return { "LSTM", { 0, 3, 1, 2 }, {} }; // ONNX i, o, f, c from PyTorch's i, f, g, o
    }
};

NETDRAFT_REGISTER_LAYER(LSTMLayer);

} // namespace
} // namespace netdraft::engine
