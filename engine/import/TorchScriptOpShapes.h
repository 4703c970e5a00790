#pragma once
// The output shape of an imported op, as the block it becomes will infer it: the TorchScript reader
// keeps each op's shape so that sizes a module computes from its input (b, t, c = x.size();
// x.view(b, t, heads, -1)) fold into constants. Internal to engine/import.

#include "engine/core/Shape.h"
#include "engine/import/ImportedGraph.h"

#include <optional>
#include <vector>

namespace netdraft::engine {

/// `op`'s output for `inputs` (one per port, batch symbolic), or nullopt when its layer type does not
/// infer one (an error, or a parameter it needs is not set).
std::optional<Shape> importedOpShape(const ImportedOp& op, const std::vector<Shape>& inputs);

} // namespace netdraft::engine
