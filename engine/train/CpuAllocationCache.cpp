#include "engine/train/CpuAllocationCache.h"

#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>
#include <c10/util/Exception.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace netdraft::engine {

namespace {

constexpr size_t alignment = 64; ///< LibTorch's own CPU alignment
/// Sizes are rounded up to whole pages so that nearly equal requests share buffers.
constexpr size_t granularity = 4096;
/// Above LibTorch's own allocator priority, so that installing always takes effect; restoring uses it too.
constexpr uint8_t allocatorPriority = 255;

size_t roundedSize(size_t bytes) { return (bytes + granularity - 1) / granularity * granularity; }

void releaseBuffer(void* data);
void freeSmallBuffer(void* data) { std::free(data); }

/// LibTorch's CPU allocator while a scope is alive. Every buffer's context is its data pointer and
/// releaseBuffer frees any of them, because oneDNN allocates through raw_allocate/raw_deallocate,
/// which need both. `allocate` is declared both const (LibTorch 1.x and early 2.x) and non-const (2.3
/// and later), without `override`, so that whichever the base class declares is the one overridden;
/// `copy_data` is pure in 2.3 and later and harmless before.
class CachingCpuAllocator final : public c10::Allocator {
public:
    c10::DataPtr allocate(size_t bytes) const; // NOLINT: see the class comment
    c10::DataPtr allocate(size_t bytes) { return static_cast<const CachingCpuAllocator*>(this)->allocate(bytes); }
    c10::DeleterFnPtr raw_deleter() const { return &releaseBuffer; } // NOLINT: see the class comment
    void copy_data(void* destination, const void* source, std::size_t count) const
    {
        std::memcpy(destination, source, count);
    }
};

struct CacheState {
    std::mutex mutex;
    int scopes = 0;
    c10::Allocator* previous = nullptr;
    bool installed = false;
    std::unordered_map<void*, size_t> handedOut; ///< cached-size buffers in use → their rounded size
    std::unordered_map<size_t, std::vector<void*>> kept; ///< rounded size → free buffers
    int64_t keptBytes = 0;
    int64_t allocations = 0;
    int64_t reused = 0;
    CachingCpuAllocator allocator;
};

/// Never destroyed: tensors freed during static destruction still call releaseBuffer.
CacheState& state()
{
    static CacheState* const instance = new CacheState;
    return *instance;
}

void* newBuffer(size_t bytes)
{
    void* data = nullptr;
    return posix_memalign(&data, alignment, bytes == 0 ? alignment : bytes) == 0 ? data : nullptr;
}

void releaseKeptLocked(CacheState& cache)
{
    for (auto& [size, buffers] : cache.kept)
        for (void* data : buffers)
            std::free(data);
    cache.kept.clear();
    cache.keptBytes = 0;
}

/// The message LibTorch's own allocator uses, which the trainer's out-of-memory advice recognises.
void requireBuffer(const void* data, size_t bytes)
{
    TORCH_CHECK(data, "DefaultCPUAllocator: not enough memory: you tried to allocate ", bytes, " bytes.");
}

c10::DataPtr CachingCpuAllocator::allocate(size_t bytes) const
{
    const c10::Device cpu(c10::DeviceType::CPU);
    if (bytes < CpuAllocationCache::smallestCached) { // malloc's heap reuses these already
        void* data = newBuffer(bytes);
        requireBuffer(data, bytes);
        return { data, data, &freeSmallBuffer, cpu };
    }
    CacheState& cache = state();
    const size_t rounded = roundedSize(bytes);
    void* data = nullptr;
    std::lock_guard<std::mutex> lock(cache.mutex);
    ++cache.allocations;
    auto found = cache.kept.find(rounded);
    if (found != cache.kept.end() && !found->second.empty()) {
        data = found->second.back();
        found->second.pop_back();
        cache.keptBytes -= static_cast<int64_t>(rounded);
        ++cache.reused;
    } else {
        data = newBuffer(rounded);
        if (!data) { // give the kept buffers back and try once more before failing
            releaseKeptLocked(cache);
            data = newBuffer(rounded);
        }
        requireBuffer(data, bytes);
    }
    cache.handedOut[data] = rounded;
    return { data, data, &releaseBuffer, cpu };
}

void releaseBuffer(void* data)
{
    if (!data)
        return;
    CacheState& cache = state();
    {
        std::lock_guard<std::mutex> lock(cache.mutex);
        auto found = cache.handedOut.find(data);
        if (found != cache.handedOut.end()) {
            const size_t rounded = found->second;
            cache.handedOut.erase(found);
            if (cache.installed && cache.keptBytes + static_cast<int64_t>(rounded) <= CpuAllocationCache::keptBytesCap) {
                cache.kept[rounded].push_back(data);
                cache.keptBytes += static_cast<int64_t>(rounded);
                return;
            }
        }
    }
    // A small buffer, or one LibTorch's own allocator made before (both from posix_memalign).
    std::free(data);
}

} // namespace

CpuAllocationCache::CpuAllocationCache()
{
    CacheState& cache = state();
    std::lock_guard<std::mutex> lock(cache.mutex);
    if (cache.scopes++ > 0)
        return;
    cache.previous = c10::GetCPUAllocator();
    c10::SetCPUAllocator(&cache.allocator, allocatorPriority);
    cache.installed = c10::GetCPUAllocator() == &cache.allocator;
}

CpuAllocationCache::~CpuAllocationCache()
{
    CacheState& cache = state();
    std::lock_guard<std::mutex> lock(cache.mutex);
    if (--cache.scopes > 0)
        return;
    if (cache.installed)
        c10::SetCPUAllocator(cache.previous, allocatorPriority);
    cache.installed = false;
    releaseKeptLocked(cache);
}

CpuAllocationCache::Statistics CpuAllocationCache::statistics()
{
    CacheState& cache = state();
    std::lock_guard<std::mutex> lock(cache.mutex);
    return { cache.allocations, cache.reused, cache.keptBytes, cache.installed };
}

} // namespace netdraft::engine
