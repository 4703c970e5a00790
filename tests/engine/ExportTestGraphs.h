#pragma once
// Graphs and helpers shared by the export tests.

#include "engine/export/ExportMetadata.h"
#include "engine/graph/Graph.h"
#include "engine/model/GraphModel.h"

#include <string>
#include <vector>

namespace netdraft::tests {

/// Conv+BatchNorm+ReLU+Conv with a skip connection into Add, then a linear classifier (3 classes).
engine::Graph residualBlock();
/// LSTM over 12 steps of 5 features, last step into Linear(→4).
engine::Graph lstmClassifier();

/// A small transformer over image patches using every attention layer type (issue 19), 3 classes.
engine::Graph attentionNetwork();

/// A graph Input → one block of `type` → Output (regression), or an empty graph when the type is unknown.
struct SingleLayerCase {
    std::string type;
    engine::Graph graph;
};
std::vector<SingleLayerCase> singleLayerCases();

/// Builds the model and runs a few training-mode batches so batch-norm statistics are not the defaults.
engine::GraphModel trainedLikeModel(const engine::Graph& graph, uint64_t seed);
/// A random batch fitting the metadata (int64 ids below `vocabulary` for token inputs).
torch::Tensor randomBatch(const engine::ExportMetadata& metadata, int64_t batch, int64_t vocabulary = 20);

} // namespace netdraft::tests
