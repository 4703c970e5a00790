#pragma once
// The key parameters printed on a block's face, as text: what the canvas shows and tests read.

#include "engine/graph/Block.h"
#include "engine/graph/Graph.h"
#include "engine/inference/ShapeInference.h"

#include <QString>

#include <utility>
#include <vector>

namespace netdraft::editor {

/// Name and value of each ParamSpec::shownOnBlock parameter, in description order. An inferred value
/// replaces "auto"; a kernel_size carries the stride, padding and dilation that differ from their
/// defaults, compactly ("3×3 s2 p1"; a tuple whose values are all equal reads as one number). For an
/// instance of a composite of `definitions`: each exposed parameter, the instance's value or the
/// default ("out_channels 24", "stride 2").
std::vector<std::pair<QString, QString>> faceParameters(const engine::Block& block,
    const engine::BlockInference* inference, const engine::Graph* definitions = nullptr);

} // namespace netdraft::editor
