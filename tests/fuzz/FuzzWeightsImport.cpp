// libFuzzer harness: the weights importer, both from memory (state dict archive) and from a file
// (state dict or Netdraft checkpoint), into a small model.

#include "FuzzInputFile.h"

#include "engine/core/Error.h"
#include "engine/train/WeightsImport.h"

#include <torch/torch.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace netdraft::engine;
    static torch::nn::Sequential model(torch::nn::Linear(4, 3), torch::nn::ReLU(), torch::nn::Linear(3, 2));
    try {
        (void)readTensorDict(std::string(reinterpret_cast<const char*>(data), size), "fuzz.pt");
    } catch (const Error&) {
    }
    const std::string& path = netdraft::fuzz::writeInputFile(data, size, ".pt");
    try {
        importWeightsFile(*model, path);
    } catch (const Error&) {
    }
    return 0;
}
