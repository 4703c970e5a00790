#pragma once
// Shared base of Dropout and Dropout2d: the drop probability, export as identity for inference.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"

namespace netdraft::engine {

/// Zeroes random elements (or whole channels) while training. The module is registered although it
/// holds no parameters, so that the model's train() and eval() switch it on and off.
class DropoutLayer : public LayerType {
public:
    /// `rank` > 0 requires that input rank with `layout`; 0 accepts any input.
    DropoutLayer(std::string type, std::string help, int64_t rank, std::string layout);

    void inferShape(InferenceContext& context) const override;
    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override;
    /// Exported models are for inference, where dropout is the identity.
    std::optional<std::string> torchScriptBody(const BuildContext& context) const override;
    /// Omitted from the ONNX graph for the same reason.
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override;

protected:
    /// `Module` is torch::nn::Dropout or Dropout2d.
    template <typename Module> static BuiltBlock buildDropout(const ParamReader& params)
    {
        Module dropout(params.real("p"));
        return { dropout.ptr(),
            [dropout](const std::vector<torch::Tensor>& in) mutable { return dropout->forward(in[0]); } };
    }

private:
    int64_t rank_;
    std::string layout_;
};

} // namespace netdraft::engine
