#pragma once
// Readers of the IDX format of MNIST and Fashion-MNIST (plain or gzip).

#include <torch/torch.h>

#include <string>

namespace netdraft::engine {

/// An IDX image file (magic 0x00000803): N×1×rows×cols uint8. The header's counts are checked
/// against the file's real size before anything is allocated.
torch::Tensor readIdxImages(const std::string& path);

/// An IDX label file (magic 0x00000801): N int64 labels, each checked to be below `classes`.
torch::Tensor readIdxLabels(const std::string& path, int64_t classes);

} // namespace netdraft::engine
