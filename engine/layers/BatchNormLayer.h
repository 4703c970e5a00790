#pragma once
// Shared base of BatchNorm1d and BatchNorm2d: parameters, shape inference and export; each layer
// file picks its LibTorch module. What instance normalisation shares is in RunningStatsNormLayer.

#include "engine/layers/RunningStatsNormLayer.h"

namespace netdraft::engine {

/// Batch normalisation over the channels (dimension 1) of inputs whose rank is in `ranks`.
class BatchNormLayer : public RunningStatsNormLayer {
public:
    /// `dims` names the type ("BatchNorm<dims>d"); `ranks` lists the accepted input ranks with
    /// their layouts, e.g. {{2, "N×C"}, {3, "N×C×L"}}.
    BatchNormLayer(int dims, std::vector<std::pair<int64_t, std::string>> ranks, std::string help);

    void inferShape(InferenceContext& context) const override;
    std::optional<std::string> torchScriptBody(const BuildContext& context) const override;
    /// Inference form: BatchNormalization over the running statistics, or (without them) the
    /// batch's own statistics written out, as PyTorch computes them in eval mode.
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override;

protected:
    /// `Norm` is torch::nn::BatchNorm1d or BatchNorm2d. The module is registered so that train() and
    /// eval() switch between batch statistics and running statistics.
    template <typename Norm> static BuiltBlock buildBatchNorm(const ParamReader& params)
    {
        return buildNorm<Norm, torch::nn::BatchNormOptions>(params);
    }

private:
    std::vector<std::pair<int64_t, std::string>> ranks_;
};

} // namespace netdraft::engine
