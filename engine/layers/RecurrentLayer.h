#pragma once
// Shared base of LSTM, GRU and RNN: parameters, shape inference, the 'sequence' / 'last' output
// choice and export; each layer file builds its LibTorch module.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"

#include <functional>

namespace netdraft::engine {

/// The settings every recurrent layer shares, read from its parameters.
struct RecurrentSettings {
    int64_t inputSize = 0;
    int64_t hiddenSize = 0;
    int64_t numLayers = 1;
    bool bias = true;
    bool batchFirst = true;
    double dropout = 0;
    bool bidirectional = false;
};

/// A recurrent layer over N×T×features input (T×N×features when batch_first is off).
class RecurrentLayer : public LayerType {
public:
    /// `extraParams` follow the shared ones (RNN's nonlinearity).
    RecurrentLayer(std::string type, std::string help, std::vector<ParamSpec> extraParams = {});

    void inferShape(InferenceContext& context) const override;
    BuiltBlock build(const BuildContext& context) const override;
    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override;
    std::optional<std::string> torchScriptBody(const BuildContext& context) const override;
    /// One ONNX LSTM/GRU/RNN node per stacked layer over time-first values, the weights with their
    /// gates in ONNX's order and B = [input bias; recurrent bias].
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override;
    /// Per time step, layer and direction: gates × hidden × (layer input + hidden); times the steps.
    int64_t multiplyAccumulates(const BuildContext& context) const override;

protected:
    /// How the layer maps to ONNX: the operator, for each ONNX gate the PyTorch gate it is, and the
    /// operator's own attributes.
    struct OnnxRecurrent {
        std::string opType;
        std::vector<int64_t> gateOrder;
        std::vector<OnnxAttribute> attributes;
    };
    virtual OnnxRecurrent onnxRecurrent(const ParamReader& params, int64_t directions) const = 0;
    /// The module and a function giving its output sequence (the first element of its result).
    struct Recurrent {
        std::shared_ptr<torch::nn::Module> module;
        std::function<torch::Tensor(const torch::Tensor&)> sequence;
    };
    virtual Recurrent buildRecurrent(const RecurrentSettings& settings, const ParamReader& params) const = 0;
    /// The ATen function TorchScript calls: "lstm", "gru", "rnn_tanh", "rnn_relu".
    virtual std::string scriptFunction(const ParamReader& params) const = 0;
    /// Python constructor arguments of `extraParams`: ", nonlinearity='relu'".
    virtual std::string extraPythonArguments(const ParamReader& params) const
    {
        (void)params;
        return {};
    }
    /// Weight matrices per layer and direction: LSTM 4, GRU 3, RNN 1.
    virtual int64_t gateCount() const = 0;
    /// LSTM: the hidden state is a pair (h, c).
    virtual bool hasCellState() const { return false; }

    /// LSTMOptions, GRUOptions and RNNOptions share these setters.
    template <typename Options> static Options makeOptions(const RecurrentSettings& settings)
    {
        return Options(settings.inputSize, settings.hiddenSize)
            .num_layers(settings.numLayers)
            .bias(settings.bias)
            .batch_first(settings.batchFirst)
            .dropout(settings.dropout)
            .bidirectional(settings.bidirectional);
    }

private:
    static RecurrentSettings readSettings(const ParamReader& params);
};

} // namespace netdraft::engine
