#pragma once
// Shared base of Split and Chunk: one dimension cut into pieces, one output port per piece. The output
// wiring (a shape per port, the module's list of tensors, Python, TorchScript and the ONNX Split) is one;
// each layer says how many pieces of which sizes its parameter makes.

#include "engine/layers/LayerType.h"

namespace netdraft::engine {

/// Cuts dimension "dim" of its input into pieces; the ports out1..outN follow `countParam`.
class PiecesLayer : public LayerType {
public:
    /// The type is also the display name; the parameters are `countParam` (which numbers the output
    /// ports) and "dim". The functions are torch's in model.py and in TorchScript ("split",
    /// "split_with_sizes").
    PiecesLayer(const char* type, const char* help, ParamSpec countParam, std::string pythonFunction,
        std::string scriptFunction);

    void inferShape(InferenceContext& context) const override;
    BuiltBlock build(const BuildContext& context) const override;
    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override;
    std::optional<std::string> torchScriptBody(const BuildContext& context) const override;
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override;

protected:
    /// The sizes of the pieces of `size` (the size of the cut dimension), as `params` ask.
    virtual IntList pieceSizes(const ParamReader& params, int64_t size) const = 0;
    /// Records an error in `context` and returns false when `sizes` (from pieceSizes) cannot be the
    /// pieces of dimension `dim` of `input`.
    virtual bool checkPieces(
        InferenceContext& context, const Shape& input, int64_t dim, const IntList& sizes) const = 0;

private:
    /// The second argument of the torch call: the sizes ("[2, 3]") or the number of pieces ("3").
    std::string countArgument(const ParamReader& params) const;

    std::string pythonFunction_;
    std::string scriptFunction_;
};

} // namespace netdraft::engine
