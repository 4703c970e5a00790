#pragma once
// Shared base of Conv1d, Conv2d and Conv3d: parameters, shape inference and export for any number of
// spatial dimensions; each layer file picks its LibTorch module.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"

namespace netdraft::engine {

/// An N-d convolution over N×C×<spatial> input; the type is "Conv<dims>d".
class ConvolutionLayer : public LayerType {
public:
    ConvolutionLayer(int dims, std::string help);

    void inferShape(InferenceContext& context) const override;
    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override;
    std::optional<std::string> torchScriptBody(const BuildContext& context) const override;
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override;
    /// Output elements × (in_channels / groups) × kernel taps.
    int64_t multiplyAccumulates(const BuildContext& context) const override;

protected:
    /// Builds the module of `dims` D; `Conv` is torch::nn::Conv1d, Conv2d or Conv3d.
    template <size_t D, typename Conv> static BuiltBlock buildConvolution(const ParamReader& params);

private:
    /// F.pad's list for padding_mode other than zeros: last dimension first, left then right
    /// (PyTorch's _reversed_padding_repeated_twice, also for 'same').
    static IntList explicitPadding(const ParamReader& params);
    int dims_;
};

template <size_t D, typename Conv> BuiltBlock ConvolutionLayer::buildConvolution(const ParamReader& params)
{
    torch::nn::ConvOptions<D> options(params.integer("in_channels"), params.integer("out_channels"),
        torch::ExpandingArray<D>(params.list("kernel_size")));
    options.stride(torch::ExpandingArray<D>(params.list("stride")))
        .dilation(torch::ExpandingArray<D>(params.list("dilation")))
        .groups(params.integer("groups"))
        .bias(params.boolean("bias"));
    const std::string mode = params.word("padding_mode");
    const std::string word = params.wordOrEmpty("padding");
    if (mode != "zeros") {
        // Pad here rather than through LibTorch's padding_mode, whose 'same' padding of non-square
        // kernels is in the wrong dimension order (PyTorch's own is right, and export must match it).
        const IntList padding = explicitPadding(params);
        options.padding(torch::ExpandingArray<D>(0));
        Conv conv(options);
        return { conv.ptr(), [conv, padding, mode](const std::vector<torch::Tensor>& in) mutable {
                    return conv->forward(torch::pad(in[0], padding, mode, c10::nullopt));
                } };
    }
    if (word == "same")
        options.padding(torch::kSame);
    else if (word == "valid")
        options.padding(torch::kValid);
    else
        options.padding(torch::ExpandingArray<D>(params.list("padding")));
    Conv conv(options);
    return { conv.ptr(), [conv](const std::vector<torch::Tensor>& in) mutable { return conv->forward(in[0]); } };
}

} // namespace netdraft::engine
