#pragma once
// Export of a trained network as an ONNX model (opset 17, IR version 8) that onnxruntime and other
// ONNX runtimes run without Netdraft: the layers' onnxNodes() hooks, the weights as initializers,
// "input" and "output" with a dynamic batch dimension, and the export metadata in metadata_props.

#include "engine/export/ExportMetadata.h"
#include "engine/model/GraphModel.h"
#include "engine/network/CompiledNetwork.h"

#include <string>

namespace netdraft::engine {

/// The metadata_props key holding ExportMetadata::toJson().
inline constexpr const char* kOnnxMetadataKey = "netdraft.json";

struct OnnxExportOptions {
    /// Apply the input scale and mean/std inside the graph, so the model takes raw values.
    bool foldNormalization = false;
};

/// The serialised model, checked by onnx::checker (full check: strict shape inference with types)
/// and with ONNX's inferred output shape equal to Netdraft's. Throws Error naming every block whose
/// layer type has no ONNX export, and when the model would reach protobuf's 2 GB limit.
std::string onnxModelBytes(const CompiledNetwork& network, const GraphModelImpl& model, const ExportMetadata& metadata,
    const OnnxExportOptions& options = {});

/// Writes onnxModelBytes() to `path` atomically; a failure leaves an existing file intact.
void exportOnnx(const CompiledNetwork& network, const GraphModelImpl& model, const ExportMetadata& metadata,
    const std::string& path, const OnnxExportOptions& options = {});

} // namespace netdraft::engine
