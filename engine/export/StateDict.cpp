#include "engine/export/StateDict.h"

#include "engine/core/Error.h"
#include "engine/io/AtomicFile.h"
#include "engine/export/TorchErrorText.h"
#include "engine/io/ZipContainerCheck.h"

#include <torch/csrc/jit/serialization/pickle.h>

namespace netdraft::engine {

NamedTensors namedState(const torch::nn::Module& module)
{
    NamedTensors result;
    for (const auto& item : module.named_parameters())
        result.emplace_back(item.key(), item.value().detach().to(torch::kCPU).clone());
    for (const auto& item : module.named_buffers())
        result.emplace_back(item.key(), item.value().detach().to(torch::kCPU).clone());
    return result;
}

std::string tensorDictArchive(const NamedTensors& tensors)
{
    c10::Dict<std::string, torch::Tensor> dict;
    for (const auto& [name, tensor] : tensors) {
        ND_CHECK(!dict.contains(name), "tensor '", name, "' appears twice");
        dict.insert(name, tensor.detach().to(torch::kCPU).contiguous());
    }
    const std::vector<char> bytes = torch::pickle_save(c10::IValue(dict));
    return std::string(bytes.begin(), bytes.end());
}

void exportStateDict(const torch::nn::Module& module, const std::string& path)
{
    writeFileAtomically(path, tensorDictArchive(namedState(module)));
}

NamedTensors readTensorDict(const std::string& bytes, const std::string& sourceName)
{
    checkPtArchive(bytes, PtArchiveKind::Pickle, sourceName);
    c10::IValue value;
    try {
        value = torch::pickle_load(std::vector<char>(bytes.begin(), bytes.end()));
    } catch (const std::exception& error) {
        ND_CHECK(false, sourceName, ": cannot read the tensors: ", torchErrorText(error));
    }
    ND_CHECK(value.isGenericDict(), sourceName, ": expected a dict of name → tensor, found ", value.tagKind());
    NamedTensors result;
    for (const auto& entry : value.toGenericDict()) {
        ND_CHECK(entry.key().isString(), sourceName, ": a key of the dict is a ", entry.key().tagKind(),
                 ", expected a string");
        const std::string name = entry.key().toStringRef();
        ND_CHECK(entry.value().isTensor(), sourceName, ": '", name, "' is a ", entry.value().tagKind(),
                 ", expected a tensor");
        result.emplace_back(name, entry.value().toTensor());
    }
    return result;
}

NamedTensors readTensorDictFile(const std::string& path)
{
    return readTensorDict(readFileLimited(path, kMaxPtFileBytes), path);
}

} // namespace netdraft::engine
