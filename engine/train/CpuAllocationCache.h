#pragma once
// Keeps the large CPU buffers a training run frees and hands them out again, instead of returning
// them to the system after every step.
//
// Why: each training step allocates the same activation and gradient buffers again. glibc gives
// buffers of a few MB back to the kernel when they are freed (mmap, or trimming the heap), so the
// next step faults every page in again, zero-filled. In a VM that costs more than the convolutions:
// perf showed 14 % of all cycles in page faults, and 711,000 faults for 4,096 samples of the classic
// CNN (bench/README.md, "Reusing CPU buffers"). PyTorch's CUDA allocator caches for the same reason.

#include <cstddef>
#include <cstdint>

namespace netdraft::engine {

/// While at least one CpuAllocationCache is alive, LibTorch's CPU allocator is replaced by one that
/// keeps freed buffers of 64 KiB and more (up to a cap) and reuses them for requests of the same
/// rounded size. Smaller requests are plain aligned mallocs, which the heap already reuses. When the last one ends the previous allocator is restored and the kept buffers are
/// released; tensors still alive then are freed normally when they die. Thread-safe; scopes may
/// overlap (two trainers at once).
class CpuAllocationCache {
public:
    CpuAllocationCache();
    ~CpuAllocationCache();
    CpuAllocationCache(const CpuAllocationCache&) = delete;
    CpuAllocationCache& operator=(const CpuAllocationCache&) = delete;

    struct Statistics {
        int64_t allocations = 0; ///< buffers handed out by the cache (new or reused), since the process started
        int64_t reused = 0; ///< of those, the ones served from kept buffers
        int64_t keptBytes = 0; ///< bytes held for reuse now
        bool active = false; ///< a scope is alive and LibTorch's CPU allocator is the cache
    };
    static Statistics statistics();

    /// Most bytes kept for reuse at once; a freed buffer over it goes back to the system.
    static constexpr int64_t keptBytesCap = int64_t(1) << 30;
    /// Requests below this size are not cached.
    static constexpr size_t smallestCached = 64 * 1024;
};

} // namespace netdraft::engine
