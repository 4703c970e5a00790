// libFuzzer harness: the project loader (JSON parse, migrations, validation) and shape inference
// of whatever loads. Errors are expected; crashes, leaks and undefined behaviour are findings.

#include "engine/core/Error.h"
#include "engine/inference/ShapeInference.h"
#include "engine/io/ProjectFormat.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace netdraft::engine;
    try {
        const Project project = parseProject(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.netdraft");
        (void)inferShapes(project.graph);
        (void)serializeProject(project);
    } catch (const Error&) {
    }
    return 0;
}
