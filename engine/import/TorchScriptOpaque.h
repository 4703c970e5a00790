#pragma once
// A TorchScript op without a block, described for an Opaque block (netdraft-cli import
// --keep-unsupported): its output's shape is learnt by running the op alone on random tensors of its
// inputs' shapes. Internal to engine/import.

#include "engine/core/Shape.h"
#include "engine/import/ImportedGraph.h"

#include <torch/script.h>

#include <optional>
#include <string>
#include <vector>

namespace netdraft::engine {

/// One input of the op, as the graph reader knows it before running.
struct TorchScriptOpaqueInput {
    const torch::jit::Value* value = nullptr;
    std::optional<Shape> shape; ///< a tensor from a block: its shape (batch first, symbolic)
    bool tokenIds = false; ///< that tensor holds token ids (int64), not floats
    std::optional<c10::IValue> known; ///< otherwise: a constant or a value the reader folded
};

/// Describes `node` (its inputs in `inputs`, in order): op type, `nodeName`, constant inputs as text,
/// input shapes and one sample's output shape, found by running the op alone with batches of 2 and 3.
/// Throws UnmappedOp (TorchScriptOpContext.h) saying why it cannot be kept: an input computed while
/// running, no tensor from a block, a result that is not one tensor keeping the batch first, or the
/// op failing on the sample.
UnsupportedOperator describeTorchScriptOperator(
    torch::jit::Node* node, const std::vector<TorchScriptOpaqueInput>& inputs, const std::string& nodeName);

} // namespace netdraft::engine
