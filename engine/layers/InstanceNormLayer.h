#pragma once
// Shared base of InstanceNorm1d and InstanceNorm2d: parameters, shape inference and export; each
// layer file picks its LibTorch module. What batch normalisation shares is in RunningStatsNormLayer.

#include "engine/layers/RunningStatsNormLayer.h"

namespace netdraft::engine {

/// Instance normalisation: each channel of each sample over its positions, input N×C×<dims spatial>.
class InstanceNormLayer : public RunningStatsNormLayer {
public:
    /// `dims` names the type ("InstanceNorm<dims>d") and the input rank (dims + 2); `layout` is
    /// that input written out ("N×C×L").
    InstanceNormLayer(int dims, std::string layout, std::string help);

    void inferShape(InferenceContext& context) const override;
    /// Inference semantics, as PyTorch in eval mode: the running statistics when tracked, else the
    /// sample's own.
    std::optional<std::string> torchScriptBody(const BuildContext& context) const override;
    /// InstanceNormalization without running statistics; with them, eval mode normalises every sample
    /// by the running statistics, which is BatchNormalization's inference form.
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override;

protected:
    /// `Norm` is torch::nn::InstanceNorm1d or InstanceNorm2d; registered so that train() and eval()
    /// switch between the sample statistics and the running ones (when tracked).
    template <typename Norm> static BuiltBlock buildInstanceNorm(const ParamReader& params)
    {
        return buildNorm<Norm, torch::nn::InstanceNormOptions>(params);
    }

private:
    int dims_;
    std::string layout_;
};

} // namespace netdraft::engine
