#pragma once
// Internal to engine/inference: inference over a graph without composite instances.

#include "engine/inference/ShapeInference.h"

namespace netdraft::engine {

/// Inference of a graph whose blocks are all layer types (instances are reported as unknown types).
InferenceResult inferFlatShapes(const Graph& graph);

} // namespace netdraft::engine
