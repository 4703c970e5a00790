// libFuzzer harness: the CIFAR-10 and CIFAR-100 batch readers.

#include "FuzzInputFile.h"

#include "engine/core/Error.h"
#include "engine/data/CifarReader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace netdraft::engine;
    const std::string& path = netdraft::fuzz::writeInputFile(data, size, ".bin");
    try {
        (void)readCifarBatch(path, 10);
    } catch (const Error&) {
    }
    try {
        (void)readCifarBatch(path, 100, 20);
    } catch (const Error&) {
    }
    return 0;
}
