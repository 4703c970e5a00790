#pragma once
// An ONNX node that no block computes, described for an Opaque block (netdraft-cli import
// --keep-unsupported): its op type, name, attributes and constant inputs as text, and the shapes ONNX
// shape inference gave its inputs and output.

#include "engine/import/ImportedGraph.h"
#include "engine/import/OnnxValues.h"

#include <optional>
#include <string>

namespace netdraft::engine {

/// `node` as an unsupported operator of kind `kind` ("NonMaxSuppression", "com.microsoft::Foo");
/// nullopt when shape inference did not fix its first output's sizes after the batch (an Opaque
/// block needs them), or that output has no dimension besides the batch.
std::optional<UnsupportedOperator> describeOnnxOperator(
    const onnx::NodeProto& node, const OnnxValues& values, const std::string& kind);

} // namespace netdraft::engine
