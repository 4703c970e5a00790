#include "engine/train/MixedPrecision.h"

#include "engine/core/Error.h"
#include "engine/train/CpuFastMode.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

// LibTorch 2.4 replaced the per-device autocast functions (set_enabled for CUDA, set_cpu_enabled,
// set_autocast_cpu_dtype, ...) with ones taking a device type, and deprecated the old ones.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define NETDRAFT_AUTOCAST_BY_DEVICE_TYPE 1
#else
#define NETDRAFT_AUTOCAST_BY_DEVICE_TYPE 0
#endif

namespace netdraft::engine {

namespace {

bool autocastEnabled(torch::DeviceType type)
{
#if NETDRAFT_AUTOCAST_BY_DEVICE_TYPE
    return at::autocast::is_autocast_enabled(type);
#else
    return type == torch::kCUDA ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
#endif
}

void setAutocastEnabled(torch::DeviceType type, bool enabled)
{
#if NETDRAFT_AUTOCAST_BY_DEVICE_TYPE
    at::autocast::set_autocast_enabled(type, enabled);
#else
    if (type == torch::kCUDA)
        at::autocast::set_enabled(enabled);
    else
        at::autocast::set_cpu_enabled(enabled);
#endif
}

torch::ScalarType autocastDtype(torch::DeviceType type)
{
#if NETDRAFT_AUTOCAST_BY_DEVICE_TYPE
    return at::autocast::get_autocast_dtype(type);
#else
    return type == torch::kCUDA ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
#endif
}

void setAutocastDtype(torch::DeviceType type, torch::ScalarType dtype)
{
#if NETDRAFT_AUTOCAST_BY_DEVICE_TYPE
    at::autocast::set_autocast_dtype(type, dtype);
#else
    if (type == torch::kCUDA)
        at::autocast::set_autocast_gpu_dtype(dtype);
    else
        at::autocast::set_autocast_cpu_dtype(dtype);
#endif
}

} // namespace

Precision parsePrecision(const std::string& name)
{
    if (name == "fp32")
        return Precision::Float32;
    if (name == "bf16")
        return Precision::BFloat16;
    if (name == "fp16")
        return Precision::Float16;
    throw Error("precision '" + name + "': expected fp32, bf16 or fp16");
}

const char* toString(Precision precision)
{
    switch (precision) {
    case Precision::Float32:
        return "fp32";
    case Precision::BFloat16:
        return "bf16";
    case Precision::Float16:
        return "fp16";
    }
    return "fp32";
}

void checkPrecision(Precision precision, const std::vector<torch::Device>& devices)
{
    for (const torch::Device& device : devices) {
        if (!device.is_cpu())
            continue;
        ND_CHECK(precision != Precision::Float16,
            "precision fp16: mixed precision with fp16 needs a CUDA device; on the CPU use bf16 (where the "
            "processor supports it) or fp32");
        ND_CHECK(precision != Precision::BFloat16 || cpuFastMode().supported,
            "precision bf16: ", cpuFastMode().description, "; bf16 would run slower than fp32 here, so use fp32");
    }
}

AutocastGuard::AutocastGuard(torch::Device device, Precision precision)
{
    if (precision == Precision::Float32)
        return;
    active_ = true;
    deviceType_ = device.type();
    wasEnabled_ = autocastEnabled(deviceType_);
    previousDtype_ = autocastDtype(deviceType_);
    setAutocastDtype(deviceType_, precision == Precision::BFloat16 ? torch::kBFloat16 : torch::kHalf);
    setAutocastEnabled(deviceType_, true);
    at::autocast::increment_nesting();
}

AutocastGuard::~AutocastGuard()
{
    if (!active_)
        return;
    // Like torch.autocast's exit: the cast weights are cached while autocast regions nest; the cache
    // must go when the outermost one ends, or the next step would reuse stale casts of updated weights.
    if (at::autocast::decrement_nesting() == 0)
        at::autocast::clear_cache();
    setAutocastEnabled(deviceType_, wasEnabled_);
    setAutocastDtype(deviceType_, previousDtype_);
}

} // namespace netdraft::engine
