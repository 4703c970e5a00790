#pragma once
// What a BlockViewer holds once loaded, and the one-block walk it makes: LibTorch-level, for the
// viewer's own files, Grad-CAM and the tests.

#include "engine/data/BatchAssembler.h"
#include "engine/data/PreparedData.h"
#include "engine/insight/BlockViewer.h"
#include "engine/model/GraphModel.h"
#include "engine/network/CompiledNetwork.h"
#include "engine/train/RunBlockNames.h"

#include <torch/torch.h>

#include <memory>
#include <string>

namespace netdraft::engine {

struct BlockViewer::Run {
    CompiledNetwork network;
    GraphModel model { nullptr };
    InMemoryDataset test;
    std::unique_ptr<BatchAssembler> samples; ///< batches of one test sample, normalised as in training
    RunBlockNames names;
    std::vector<int64_t> sampleShape;
    bool images = false;

    /// Test sample `index` as the model takes it: a batch of one, normalised. Throws Error when the test
    /// part has no such sample.
    torch::Tensor input(int64_t index) const;
    /// Throws Error unless 0 <= index < the test part's size, saying how many samples there are.
    void checkSampleIndex(int64_t index) const;
};

/// Runs `model` on `input` up to block `blockId` and returns that block's (first) output; the blocks
/// after it do not run. Throws Error when the model has no such block.
torch::Tensor blockOutputOf(GraphModelImpl& model, const torch::Tensor& input, const std::string& blockId);

} // namespace netdraft::engine
