#include "engine/io/StateDict.h"

#include "engine/core/Error.h"
#include "engine/io/AtomicFile.h"
#include "engine/io/OrderedDictPickle.h"
#include "engine/io/TensorRecordCheck.h"
#include "engine/io/TensorStorageCheck.h"
#include "engine/io/TorchErrorText.h"
#include "engine/io/ZipContainerCheck.h"

#include <caffe2/serialize/inline_container.h>
#include <caffe2/serialize/istream_adapter.h>
#include <torch/csrc/jit/serialization/import_read.h>
#include <torch/csrc/jit/serialization/pickle.h>
#include <torch/csrc/jit/serialization/storage_context.h>
#include <torch/csrc/jit/serialization/unpickler.h>

#include <algorithm>
#include <cstring>
#include <sstream>

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

namespace {

/// What torch::jit::readArchiveAndTensors("data", …) does, with the pickle first made readable by
/// LibTorch: torch.save(model.state_dict()) pickles an OrderedDict, which LibTorch's unpickler reads
/// as None (OrderedDictPickle.h).
c10::IValue unpickleData(caffe2::serialize::PyTorchStreamReader& reader,
                         const std::shared_ptr<torch::jit::DeserializationStorageContext>& storages,
                         const std::string& sourceName)
{
    const auto [data, size] = reader.getRecord("data.pkl");
    const std::string original(static_cast<const char*>(data.get()), size);
    const std::string program = plainDictPickle(original, sourceName);
    size_t position = 0;
    auto read = [&](char* buffer, size_t length) -> size_t {
        const size_t count = std::min(length, program.size() - position);
        std::memcpy(buffer, program.data() + position, count);
        position += count;
        return count;
    };
    auto readRecord = [&reader](const std::string& name) { return std::get<0>(reader.getRecord("data/" + name)); };
    torch::jit::Unpickler unpickler(read, nullptr, nullptr, readRecord, c10::nullopt, false,
                                    torch::jit::Unpickler::defaultTypeParser, storages);
    unpickler.set_version(reader.version());
    try {
        return unpickler.parse_ivalue();
    } catch (const std::exception& error) {
        ND_CHECK(false, sourceName, ": cannot read the tensors: ", torchErrorText(error),
                 " (Netdraft reads a dict of name → tensor as torch.save(model.state_dict(), path) writes it)");
    }
    return {};
}

} // namespace

NamedTensors readTensorDict(const std::string& bytes, const std::string& sourceName)
{
    const PtArchiveContents contents = checkPtArchive(bytes, PtArchiveKind::Pickle, sourceName);
    c10::IValue value;
    // What torch::pickle_load does, plus a storage context to see every storage by record name:
    // LibTorch sizes a storage from the pickle, not from its record, so a short record would give a
    // tensor that reads past its buffer.
    auto storages = std::make_shared<torch::jit::DeserializationStorageContext>();
    try {
        std::istringstream stream(bytes);
        caffe2::serialize::PyTorchStreamReader reader(std::make_unique<caffe2::serialize::IStreamAdapter>(&stream));
        value = unpickleData(reader, storages, sourceName);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& error) {
        ND_CHECK(false, sourceName, ": cannot read the tensors: ", torchErrorText(error));
    }
    checkStorageRecordSizes(*storages, contents, "data", sourceName);
    ND_CHECK(value.isGenericDict(), sourceName, ": expected a dict of name → tensor, found ", value.tagKind());
    NamedTensors result;
    for (const auto& entry : value.toGenericDict()) {
        ND_CHECK(entry.key().isString(), sourceName, ": a key of the dict is a ", entry.key().tagKind(),
                 ", expected a string");
        const std::string name = entry.key().toStringRef();
        ND_CHECK(entry.value().isTensor(), sourceName, ": '", name, "' is a ", entry.value().tagKind(),
                 ", expected a tensor");
        checkTensorWithinStorage(entry.value().toTensor(), sourceName, name);
        result.emplace_back(name, entry.value().toTensor());
    }
    return result;
}

NamedTensors readTensorDictFile(const std::string& path)
{
    return readTensorDict(readFileLimited(path, kMaxPtFileBytes), path);
}

} // namespace netdraft::engine
