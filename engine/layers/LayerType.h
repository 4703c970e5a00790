#pragma once
// The interface every layer type implements in its own file, and its self-registration.
// This header is free of LibTorch so that Qt code can read the catalogue cheaply.

#include "engine/core/Shape.h"
#include "engine/layers/InferenceContext.h"
#include "engine/layers/LayerDescription.h"
#include "engine/layers/ParamReader.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace netdraft::engine {

struct BuiltBlock; // engine/layers/BuiltBlock.h, LibTorch
class OnnxBuilder; // engine/layers/OnnxBuilder.h, free of protobuf

/// What a layer type gets when its module is built: parameters with inferred values filled in,
/// and the shapes inference found.
struct BuildContext {
    ParamReader params;
    const std::vector<Shape>& inputs;
    const Shape& output;
};

/// PyTorch code of one block, for the exported model.py.
struct PythonCode {
    /// Right-hand side of "self.<attribute> = ...", e.g. "nn.Conv2d(3, 32, kernel_size=(3, 3), padding=(1, 1))";
    /// empty for blocks without parameters or state.
    std::string constructor;
    /// The block's output as an expression over its inputs: "self.conv1(x)", "torch.relu(x)", "torch.cat([a, b], dim=1)".
    std::string forward;
    /// Python source of a helper nn.Module class the constructor names, for layers PyTorch lacks
    /// ("class PositionalEncoding(nn.Module): ..."); written once into model.py. Empty for nn.* layers.
    std::string definitions;
};

/// A layer type: its description, its shape inference and its LibTorch module.
class LayerType {
public:
    explicit LayerType(LayerDescription description) : description_(std::move(description)) {}
    virtual ~LayerType() = default;
    LayerType(const LayerType&) = delete;
    LayerType& operator=(const LayerType&) = delete;

    const LayerDescription& description() const { return description_; }
    const std::string& type() const { return description_.type; }

    /// Sets the output shape from the input shapes, or records errors. Inputs are given in port order.
    virtual void inferShape(InferenceContext& context) const = 0;
    /// Builds the module and its forward function; only called when inference found no error.
    virtual BuiltBlock build(const BuildContext& context) const = 0;

    /// PyTorch code for model.py; `attribute` is the block's attribute name, `inputs` the Python
    /// expressions of its inputs in port order. std::nullopt: the layer cannot be exported as code.
    virtual std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
                                                 const std::vector<std::string>& inputs) const
    {
        (void)context, (void)attribute, (void)inputs;
        return std::nullopt;
    }

    /// TorchScript body of the block's exported `forward(self, x0, x1, ...)`: statements separated by
    /// newlines ending in a return, using the built module's parameters and buffers as self.<name>
    /// ("return torch.conv2d(x0, self.weight, self.bias, [1, 1], [1, 1], [1, 1], 1)").
    /// std::nullopt: the layer cannot be exported to TorchScript.
    virtual std::optional<std::string> torchScriptBody(const BuildContext& context) const
    {
        (void)context;
        return std::nullopt;
    }

    /// Multiply-accumulates of the block's forward pass for ONE sample, torchvision's "GFLOPS"
    /// convention (docs/INSIGHT.md): products with weights only. 0, the default, for layers without
    /// weights to multiply: element-wise, pooling, shape, normalisation, lookup (Embedding).
    virtual int64_t multiplyAccumulates(const BuildContext& context) const
    {
        (void)context;
        return 0;
    }

    /// Appends the block's inference-mode ONNX nodes (opset 17) through `onnx`, reading onnx.inputs()
    /// and writing onnx.output(). false: the layer cannot be exported to ONNX.
    virtual bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const
    {
        (void)context, (void)onnx;
        return false;
    }

private:
    LayerDescription description_;
};

} // namespace netdraft::engine
