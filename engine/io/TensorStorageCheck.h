#pragma once
// A check for tensors read from files: LibTorch builds a tensor from the sizes in the pickle and the
// bytes of its storage record without comparing them, so a record shorter than the sizes claim gives a
// tensor that reads past its buffer. Engine-internal (includes LibTorch).

#include "engine/core/Error.h"

#include <torch/torch.h>

#include <string>

namespace netdraft::engine {

/// Throws Error naming `where` and the tensor when its sizes, strides and offset reach outside its storage.
inline void checkTensorWithinStorage(const torch::Tensor& tensor, const std::string& where, const std::string& name)
{
    if (!tensor.defined() || tensor.numel() == 0)
        return;
    ND_CHECK(tensor.has_storage(), where, ": tensor '", name, "' has no storage");
    ND_CHECK(tensor.storage_offset() >= 0, where, ": tensor '", name, "' has a negative storage offset");
    int64_t lastElement = tensor.storage_offset();
    for (int64_t dim = 0; dim < tensor.dim(); ++dim) {
        ND_CHECK(tensor.stride(dim) >= 0, where, ": tensor '", name, "' has a negative stride");
        lastElement += (tensor.size(dim) - 1) * tensor.stride(dim);
    }
    const auto needed = static_cast<uint64_t>(lastElement + 1) * tensor.element_size();
    const auto stored = static_cast<uint64_t>(tensor.storage().nbytes());
    ND_CHECK(needed <= stored, where, ": tensor '", name, "' needs ", needed, " bytes but its record holds ", stored);
}

} // namespace netdraft::engine
