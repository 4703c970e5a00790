#include "engine/train/CpuFastMode.h"

#include <cstdlib>
#include <cstring>
#include <fstream>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace netdraft::engine {

namespace {

std::string processorName()
{
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line))
        if (line.rfind("model name", 0) == 0) {
            const size_t colon = line.find(':');
            if (colon != std::string::npos && colon + 2 <= line.size())
                return line.substr(colon + 2);
        }
    return "unknown processor";
}

#if defined(__x86_64__) || defined(__i386__)
/// XCR0: which register states the OS saves on context switches.
unsigned long long enabledRegisterState()
{
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & (1u << 27))) // OSXSAVE
        return 0;
    unsigned low = 0, high = 0;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    return (static_cast<unsigned long long>(high) << 32) | low;
}

void detect(CpuFastMode& mode)
{
    if (__get_cpuid_max(0, nullptr) < 7)
        return;
    const unsigned long long state = enabledRegisterState();
    const bool avx512State = (state & 0xE6) == 0xE6; // SSE, AVX, opmask, ZMM upper halves, ZMM16-31
    const bool amxState = (state & 0x60000ull) == 0x60000ull; // XTILECFG, XTILEDATA
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    const bool avx512f = ebx & (1u << 16);
    const bool amxBf16 = edx & (1u << 22);
    const bool amxTile = edx & (1u << 24);
    const unsigned maxSubleaf = eax;
    bool avx512Bf16 = false;
    if (maxSubleaf >= 1) {
        __cpuid_count(7, 1, eax, ebx, ecx, edx);
        avx512Bf16 = eax & (1u << 5);
    }
    mode.avx512Bf16 = avx512f && avx512Bf16 && avx512State;
    mode.amxBf16 = amxBf16 && amxTile && amxState;
}
#else
void detect(CpuFastMode&)
{
}
#endif

CpuFastMode detectFastMode()
{
    CpuFastMode mode;
    mode.processor = processorName();
    detect(mode);
    const char* override = std::getenv("NETDRAFT_CPU_BF16");
    const bool disabled = override && std::strcmp(override, "0") == 0;
    if (disabled)
        mode.avx512Bf16 = mode.amxBf16 = false;
    mode.supported = mode.avx512Bf16 || mode.amxBf16;
    std::string units;
    if (mode.amxBf16)
        units = "AMX-BF16";
    if (mode.avx512Bf16)
        units += std::string(units.empty() ? "" : ", ") + "AVX-512 BF16";
    if (mode.supported)
        mode.description = "bf16 fast mode available (" + mode.processor + ": " + units + ")";
    else if (disabled)
        mode.description = "bf16 fast mode turned off by NETDRAFT_CPU_BF16=0 (" + mode.processor + ")";
    else
        mode.description = "no bf16 fast mode on this CPU (" + mode.processor
            + " has neither AVX-512 BF16 nor AMX-BF16); training runs in fp32";
    return mode;
}

} // namespace

const CpuFastMode& cpuFastMode()
{
    static const CpuFastMode mode = detectFastMode();
    return mode;
}

} // namespace netdraft::engine
