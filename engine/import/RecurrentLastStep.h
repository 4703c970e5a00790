#pragma once
// The last time step of a recurrent block, as a Netdraft user draws it: one LSTM, GRU or RNN block with
// its output 'last' rather than the block and a Select of its last step. Both importers (TorchScript's
// out[:, -1] or out[-1], ONNX's Gather of the last step) make the Select and leave the decision here.
// Internal to engine/import.

#include "engine/import/ImportedGraph.h"

#include <cstdint>

namespace netdraft::engine {

/// Whether `index` along a sequence of `steps` time steps (0 or less: unknown) is its last step.
bool isLastTimeStep(int64_t index, int64_t steps);

/// Whether `op` is an LSTM, GRU or RNN block.
bool isRecurrentOp(const ImportedOp& op);

/// The dimension of the time steps in recurrent op `op`'s sequence output: 1 batch first, 0 time first.
int64_t timeDimensionOf(const ImportedOp& op);

/// Each Select of index -1 along the time dimension of a recurrent op's sequence output that is the only
/// reader of that output (and not the network's output) folds into the op: the op's output becomes 'last'
/// and the Select goes, its readers reading the op. A Select of another step, or of a sequence read
/// elsewhere too, stays a block of its own. A Select of dimension 0 (a time-first block's steps) that
/// cannot fold has no block: Error naming the source `sourceName`.
void foldLastTimeSteps(ImportedNetwork& network, const std::string& sourceName);

} // namespace netdraft::engine
