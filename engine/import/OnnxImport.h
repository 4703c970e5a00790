#pragma once
// Reads an ONNX model (a ModelProto, e.g. from torch.onnx.export) into an ImportedNetwork: the file is
// parsed with size checks, refused when it keeps tensors in external files or needs an opset this
// libonnx does not know, checked (onnx::checker::check_model) and shape-inferred; the Shape/Gather/
// Concat chains exporters write for a reshape are folded into constants, and every node is mapped to a
// layer type with its initializers as weights. Node names ("/layer1/layer1.0/conv1/Conv") give the
// module paths ("layer1.0.conv1", OnnxModules.h).

#include "engine/import/ImportedGraph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace netdraft::engine {

/// The opsets of the default domain the import reads (libonnx 1.12 knows up to 17).
inline constexpr int64_t kOnnxImportMinOpset = 7;
inline constexpr int64_t kOnnxImportMaxOpset = 17;

/// Reads model `bytes`. `inputShape` (one sample, no batch dimension) replaces the file's when given;
/// without it every size but the batch must be fixed in the file. Throws Error naming `sourceName` for
/// a malformed model, an unsupported opset or IR version, external data, a graph that is not one
/// tensor in and one out, and operators without a block (each op type with its node names and count).
/// With `keepUnsupported`, an operator without a block whose data inputs come from blocks and whose
/// output shape shape inference knows becomes an Opaque block instead (opaqueOp); the others are
/// still listed.
ImportedNetwork readOnnxNetwork(const std::string& bytes, const std::string& sourceName,
    const std::vector<int64_t>& inputShape, std::vector<std::string>& notes, bool keepUnsupported = false);

} // namespace netdraft::engine
