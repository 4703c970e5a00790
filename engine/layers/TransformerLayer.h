#pragma once
// Shared base of TransformerEncoderLayer and TransformerDecoderLayer: their parameters, shape
// checks, and the residual attention and feed-forward parts of their exports.

#include "engine/layers/AttentionExport.h"
#include "engine/layers/AttentionModules.h"
#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"

#include <functional>

namespace netdraft::engine {

/// A transformer layer over batch-first sequences N×T×d_model; `inputs` are its ports, the first one
/// the sequence it transforms (the decoder adds "memory").
class TransformerLayer : public LayerType {
public:
    TransformerLayer(std::string type, std::string displayName, std::string help, std::vector<std::string> inputs);

    /// Input 0 and every other input N×…×d_model; d_model divisible by nhead; output = input 0.
    void inferShape(InferenceContext& context) const override;
    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override;
    std::optional<std::string> torchScriptBody(const BuildContext& context) const override;
    int64_t multiplyAccumulates(const BuildContext& context) const override;
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override;

    static TransformerSettings settingsOf(const ParamReader& params);

protected:
    /// One attention of the layer: its parameter prefix and whether it reads the memory port.
    struct AttentionPart {
        std::string prefix; ///< "self_attn." or "multihead_attn."
        bool fromMemory = false;
    };
    /// The attentions in order, each followed by its norm: norm1, norm2, (norm3 after the feed-forward).
    virtual std::vector<AttentionPart> attentionParts() const = 0;
};

} // namespace netdraft::engine
