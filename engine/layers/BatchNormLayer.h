#pragma once
// Shared base of BatchNorm1d and BatchNorm2d: parameters, shape inference and export; each layer
// file picks its LibTorch module.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"

namespace netdraft::engine {

/// Batch normalisation over the channels (dimension 1) of inputs whose rank is in `ranks`.
class BatchNormLayer : public LayerType {
public:
    /// `dims` names the type ("BatchNorm<dims>d"); `ranks` lists the accepted input ranks with
    /// their layouts, e.g. {{2, "N×C"}, {3, "N×C×L"}}.
    BatchNormLayer(int dims, std::vector<std::pair<int64_t, std::string>> ranks, std::string help);

    void inferShape(InferenceContext& context) const override;
    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override;
    std::optional<std::string> torchScriptBody(const BuildContext& context) const override;
    /// Inference form: BatchNormalization over the running statistics, or (without them) the
    /// batch's own statistics written out, as PyTorch computes them in eval mode.
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override;

protected:
    /// `Norm` is torch::nn::BatchNorm1d or BatchNorm2d. The module is registered so that train() and
    /// eval() switch between batch statistics and running statistics.
    template <typename Norm> static BuiltBlock buildBatchNorm(const ParamReader& params)
    {
        Norm norm(torch::nn::BatchNormOptions(params.integer("num_features"))
                      .eps(params.real("eps"))
                      .momentum(params.real("momentum"))
                      .affine(params.boolean("affine"))
                      .track_running_stats(params.boolean("track_running_stats")));
        return { norm.ptr(), [norm](const std::vector<torch::Tensor>& in) mutable { return norm->forward(in[0]); } };
    }

private:
    std::vector<std::pair<int64_t, std::string>> ranks_;
};

} // namespace netdraft::engine
