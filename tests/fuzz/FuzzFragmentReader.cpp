// libFuzzer harness: the clipboard's block fragments (engine/io/FragmentFormat.h: strict JSON, the
// project format's graph reader, composites), then writing what loads back. Errors are expected;
// crashes, leaks and undefined behaviour are findings.

#include "engine/core/Error.h"
#include "engine/io/FragmentFormat.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace netdraft::engine;
    try {
        const GraphFragment fragment
            = parseFragment(std::string_view(reinterpret_cast<const char*>(data), size), Graph(), "fuzz.json");
        (void)parseFragment(serializeFragment(fragment), Graph(), "fuzz round trip");
    } catch (const Error&) {
    }
    return 0;
}
