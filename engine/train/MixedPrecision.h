#pragma once
// Mixed precision: the precision setting, the autocast guard that works with LibTorch 1.13 and 2.x,
// and the check that a device can run a precision.

#include <torch/torch.h>

#include <string>
#include <vector>

namespace netdraft::engine {

enum class Precision {
    Float32, ///< "fp32": no autocast
    BFloat16, ///< "bf16": autocast to bfloat16 (CPU with AVX-512 BF16/AMX, CUDA compute capability 8+)
    Float16, ///< "fp16": autocast to float16 with loss scaling (CUDA only)
};

/// "fp32", "bf16" or "fp16"; throws Error for anything else.
Precision parsePrecision(const std::string& name);
const char* toString(Precision precision);

/// Throws Error when `precision` cannot run on every one of `devices`: fp16 on a CPU, or bf16 on a CPU
/// without bf16 instructions (refused rather than run slower than fp32; see cpuFastMode()).
void checkPrecision(Precision precision, const std::vector<torch::Device>& devices);

/// Turns autocast on for `device`'s type with the precision's dtype for its lifetime, on the calling
/// thread (autocast state is thread-local), and restores the previous state after. Does nothing for fp32.
/// Weights stay fp32; eligible operations (convolutions, matrix products) run in the lower precision.
class AutocastGuard {
public:
    AutocastGuard(torch::Device device, Precision precision);
    ~AutocastGuard();
    AutocastGuard(const AutocastGuard&) = delete;
    AutocastGuard& operator=(const AutocastGuard&) = delete;

private:
    bool active_ = false;
    torch::DeviceType deviceType_ = torch::kCPU;
    bool wasEnabled_ = false;
    torch::ScalarType previousDtype_ = torch::kBFloat16;
};

} // namespace netdraft::engine
