#pragma once
// Shared base of InstanceNorm1d and InstanceNorm2d: parameters, shape inference and export; each
// layer file picks its LibTorch module.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"

namespace netdraft::engine {

/// Instance normalisation: each channel of each sample over its positions, input N×C×<dims spatial>.
class InstanceNormLayer : public LayerType {
public:
    /// `dims` names the type ("InstanceNorm<dims>d") and the input rank (dims + 2); `layout` is
    /// that input written out ("N×C×L").
    InstanceNormLayer(int dims, std::string layout, std::string help);

    void inferShape(InferenceContext& context) const override;
    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override;
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
        Norm norm(torch::nn::InstanceNormOptions(params.integer("num_features"))
                      .eps(params.real("eps"))
                      .momentum(params.real("momentum"))
                      .affine(params.boolean("affine"))
                      .track_running_stats(params.boolean("track_running_stats")));
        return { norm.ptr(), [norm](const std::vector<torch::Tensor>& in) mutable { return norm->forward(in[0]); } };
    }

private:
    int dims_;
    std::string layout_;
};

} // namespace netdraft::engine
