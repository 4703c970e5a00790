// libFuzzer harness: the IDX image and label readers (plain and gzip).

#include "FuzzInputFile.h"

#include "engine/core/Error.h"
#include "engine/data/IdxReader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace netdraft::engine;
    const std::string& path = netdraft::fuzz::writeInputFile(data, size, ".idx");
    try {
        (void)readIdxImages(path);
    } catch (const Error&) {
    }
    try {
        (void)readIdxLabels(path, 10);
    } catch (const Error&) {
    }
    return 0;
}
