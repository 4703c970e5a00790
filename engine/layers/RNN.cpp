// RNN: the plain (Elman) recurrent network over a sequence.

#include "engine/layers/PythonFormat.h"
#include "engine/layers/RecurrentLayer.h"

namespace netdraft::engine {
namespace {

class RNNLayer : public RecurrentLayer {
public:
    RNNLayer()
        : RecurrentLayer("RNN",
            "Plain recurrent network: h_t = nonlinearity(W_ih·x_t + W_hh·h_(t−1) + b). Simple but "
            "forgets over long sequences; prefer LSTM or GRU there. Input N×T×features; output "
            "every step's hidden state (N×T×hidden_size) or only the last (N×hidden_size).",
            { ParamSpec::choice("nonlinearity", "tanh", { "tanh", "relu" })
                    .isAdvanced()
                    .help("Activation of the hidden state.") })
    {
    }

protected:
    Recurrent buildRecurrent(const RecurrentSettings& settings, const ParamReader& params) const override
    {
        auto options = makeOptions<torch::nn::RNNOptions>(settings);
        if (params.word("nonlinearity") == "relu")
            options.nonlinearity(torch::kReLU);
        torch::nn::RNN rnn(options);
        return { rnn.ptr(), [rnn](const torch::Tensor& x) mutable { return std::get<0>(rnn->forward(x)); } };
    }

    int64_t gateCount() const override { return 1; }
    std::string scriptFunction(const ParamReader& params) const override
    {
        return "rnn_" + params.word("nonlinearity");
    }

    OnnxRecurrent onnxRecurrent(const ParamReader& params, int64_t directions) const override
    {
        const std::string activation = params.word("nonlinearity") == "relu" ? "Relu" : "Tanh";
        return { "RNN", { 0 },
            { { "activations", std::vector<std::string>(static_cast<size_t>(directions), activation) } } };
    }
    std::string extraPythonArguments(const ParamReader& params) const override
    {
        return ", nonlinearity=" + python::quoted(params.word("nonlinearity"));
    }
};

NETDRAFT_REGISTER_LAYER(RNNLayer);

} // namespace
} // namespace netdraft::engine
