#pragma once
// Whether this processor runs bf16 mixed precision fast (AVX-512 BF16 or AMX), for the trainer, the
// CLI and the GUI. LibTorch-free.

#include <string>

namespace netdraft::engine {

/// The CPU's bf16 fast mode: on processors with AVX-512 BF16 or AMX-BF16 (enabled by the operating
/// system), convolutions and matrix products run several times faster under bf16 autocast.
struct CpuFastMode {
    bool supported = false;
    bool avx512Bf16 = false;
    bool amxBf16 = false;
    std::string processor; ///< the model name from /proc/cpuinfo, or "unknown processor"
    std::string description; ///< one sentence for people, e.g. "bf16 fast mode available (Intel Xeon ...: AMX-BF16,
                             ///< AVX-512 BF16)"
};

/// Detected once (cpuid and the OS's saved register state) and cached. NETDRAFT_CPU_BF16=0 in the
/// environment reports no support, to try the fallback on a capable machine.
const CpuFastMode& cpuFastMode();

} // namespace netdraft::engine
