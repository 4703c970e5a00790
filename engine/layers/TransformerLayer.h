#pragma once
// Shared base of TransformerEncoderLayer and TransformerDecoderLayer: their parameters, shape
// checks, and the residual attention and feed-forward parts of their exports.

#include "engine/layers/AttentionExport.h"
#include "engine/layers/AttentionModules.h"
#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"

#include <functional>
#include <optional>

namespace netdraft::engine {

/// A transformer layer over batch-first sequences N×T×d_model; `inputs` are its ports, the first one
/// the sequence it transforms (the decoder adds "memory"). Each attention may take a mask from a port
/// switched on by a Bool parameter (AttentionMask.h), after the fixed ports in the attentions' order.
class TransformerLayer : public LayerType {
public:
    /// One attention of the layer: its parameter prefix, whether it reads the memory port, and its
    /// optional mask port (PyTorch's src_mask, tgt_mask or memory_mask).
    struct AttentionPart {
        std::string prefix; ///< "self_attn." or "multihead_attn."
        bool fromMemory = false;
        std::string maskPort; ///< "mask", "tgt_mask", "memory_mask"
        std::string maskParam; ///< the Bool parameter that adds the port: "mask_input"
        std::string pytorchMask; ///< the forward argument of PyTorch's module: "src_mask"
    };

    /// `parts`: the attentions in order, each followed by its norm: norm1, norm2, (norm3 after the
    /// feed-forward).
    TransformerLayer(std::string type, std::string displayName, std::string help, std::vector<std::string> inputs,
        std::vector<AttentionPart> parts);

    /// Input 0 and every other sequence N×…×d_model; d_model divisible by nhead; masks fit their
    /// attention's scores; output = input 0.
    void inferShape(InferenceContext& context) const override;
    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override;
    std::optional<std::string> torchScriptBody(const BuildContext& context) const override;
    int64_t multiplyAccumulates(const BuildContext& context) const override;
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override;

    static TransformerSettings settingsOf(const ParamReader& params);

protected:
    /// The port index of each attention's mask with these parameters (empty: that mask is off).
    std::vector<std::optional<size_t>> maskPorts(const ParamReader& params) const;
    /// The mask on `port` of the block's inputs as a headsMask() named by `what`; undefined when `port` is empty.
    static torch::Tensor maskOf(
        const std::vector<torch::Tensor>& inputs, const std::optional<size_t>& port, const std::string& what);

    std::vector<AttentionPart> parts_;
};

} // namespace netdraft::engine
