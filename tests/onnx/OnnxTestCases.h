#pragma once
// The networks whose ONNX export tests/onnx checks in onnxruntime: every layer type of the catalogue
// (tests/engine/ExportTestGraphs' single-layer cases) plus variants that reach the export's traps.

#include "engine/graph/Graph.h"

#include <string>
#include <vector>

namespace netdraft::tests {

struct OnnxTestCase {
    std::string name;
    engine::Graph graph;
    /// The largest allowed |onnxruntime − LibTorch| relative to max(1, max |expected|).
    double tolerance = 1e-4;
};

/// One case per catalogue layer type ("layer_<type>") and the variants ("variant_<what>").
std::vector<OnnxTestCase> onnxLayerCases();

} // namespace netdraft::tests
