#pragma once
// What batch and instance normalisation share (BatchNormLayer, InstanceNormLayer): the parameters
// num_features, eps, momentum, affine and track_running_stats, the channels read from dimension 1,
// the nn module in model.py, the LibTorch module, the TorchScript call and the ONNX scale and bias.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"

#include <utility>

namespace netdraft::engine {

/// Normalisation of the channels (dimension 1) with a learned scale and shift (affine) and running
/// statistics (track_running_stats).
class RunningStatsNormLayer : public LayerType {
public:
    /// "<kind><dims>d" ("BatchNorm2d") is the type and the display name; the parameters are num_features
    /// (inferred from the channels), eps, and the given momentum, affine and track_running_stats, whose
    /// defaults and help differ between the kinds.
    RunningStatsNormLayer(const std::string& kind, int dims, std::string help, ParamSpec momentum, ParamSpec affine,
        ParamSpec trackRunningStats);

    /// "nn.<type>(num_features, eps=…, momentum=…, affine=…, track_running_stats=…)".
    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override;

protected:
    /// num_features from the input's channels; the output has the input's shape.
    static void inferChannels(InferenceContext& context);

    /// `Norm` is a LibTorch module (torch::nn::BatchNorm2d), `Options` its options (BatchNormOptions).
    /// The module is registered so that train() and eval() switch between the statistics of the batch
    /// (or sample) and the running ones.
    template <typename Norm, typename Options> static BuiltBlock buildNorm(const ParamReader& params)
    {
        Norm norm(Options(params.integer("num_features"))
                      .eps(params.real("eps"))
                      .momentum(params.real("momentum"))
                      .affine(params.boolean("affine"))
                      .track_running_stats(params.boolean("track_running_stats")));
        return { norm.ptr(), [norm](const std::vector<torch::Tensor>& in) mutable { return norm->forward(in[0]); } };
    }

    /// "return torch.<function>(x0, weight, bias, running_mean, running_var, use input statistics,
    /// momentum, eps, <last>)" in inference semantics: the running statistics when tracked, else the
    /// input's own.
    static std::string normScript(const ParamReader& params, const std::string& function, bool last);

    /// The ONNX scale and bias per channel: the learned weight and bias when affine, else ones and zeros.
    static std::pair<std::string, std::string> onnxScaleAndBias(OnnxBuilder& onnx, const ParamReader& params);

    /// BatchNormalization of input 0 over the running statistics, with `scale` and `bias`.
    static void writeRunningStatsOnnx(
        OnnxBuilder& onnx, const std::string& scale, const std::string& bias, std::vector<OnnxAttribute> attributes);
};

} // namespace netdraft::engine
