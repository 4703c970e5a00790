#pragma once
// Reader of the CIFAR-10 and CIFAR-100 binary batch files.

#include <torch/torch.h>

#include <string>

namespace netdraft::engine {

/// The records of one binary batch: images N×3×32×32 uint8 and int64 labels.
struct CifarRecords {
    torch::Tensor images;
    torch::Tensor labels; ///< CIFAR-10 label, or CIFAR-100 fine label
    torch::Tensor coarseLabels; ///< CIFAR-100 only: the 20 superclasses; undefined for CIFAR-10
};

/// Reads a CIFAR-10 batch (records of 1 label byte + 3072 pixel bytes) when `coarseClasses` is 0,
/// or a CIFAR-100 file (coarse label byte, fine label byte, 3072 pixel bytes) otherwise. Labels are
/// checked against `classes` (fine) and `coarseClasses`; the file size must be whole records.
CifarRecords readCifarBatch(const std::string& path, int64_t classes, int64_t coarseClasses = 0);

} // namespace netdraft::engine
