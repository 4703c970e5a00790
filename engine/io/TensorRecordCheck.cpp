#include "engine/io/TensorRecordCheck.h"

#include "engine/core/Error.h"
#include "engine/io/TorchErrorText.h"

#include <caffe2/serialize/inline_container.h>
#include <caffe2/serialize/istream_adapter.h>
#include <torch/csrc/jit/api/compilation_unit.h>
#include <torch/csrc/jit/serialization/import_read.h>
#include <torch/csrc/jit/serialization/storage_context.h>

#include <sstream>

namespace netdraft::engine {

namespace {

/// One pickle of the archive, read the way torch::jit::load reads it, but with every storage kept
/// by record name and every class a fresh empty placeholder.
std::shared_ptr<torch::jit::DeserializationStorageContext> readStorages(
    const std::string& bytes, const std::string& pickle, const std::string& sourceName)
{
    auto storages = std::make_shared<torch::jit::DeserializationStorageContext>();
    auto unit = std::make_shared<torch::jit::CompilationUnit>();
    // The resolver sees class names (__torch__.…) and the type tags of lists and dicts ("List[str]").
    torch::jit::TypeResolver resolveType = [unit](const c10::QualifiedName& name) {
        if (name.qualifiedName().rfind("__torch__.", 0) != 0)
            return c10::StrongTypePtr(unit, torch::jit::Unpickler::defaultTypeParser(name.qualifiedName()));
        if (auto known = unit->get_class(name))
            return c10::StrongTypePtr(unit, known);
        auto type = c10::ClassType::create(name, unit);
        unit->register_type(type);
        return c10::StrongTypePtr(unit, type);
    };
    torch::jit::ObjLoader loadObject
        = [](const c10::StrongTypePtr& type, c10::IValue) { return c10::ivalue::Object::create(type, 0); };
    try {
        std::istringstream stream(bytes);
        caffe2::serialize::PyTorchStreamReader reader(std::make_unique<caffe2::serialize::IStreamAdapter>(&stream));
        torch::jit::readArchiveAndTensors(pickle, "", "", resolveType, loadObject, c10::nullopt, reader,
            torch::jit::Unpickler::defaultTypeParser, storages);
    } catch (const std::exception& error) {
        ND_CHECK(false, sourceName, ": cannot read the tensors of ", pickle, ".pkl: ", torchErrorText(error));
    }
    return storages;
}

} // namespace

void checkTensorRecordSizes(const std::string& bytes, const PtArchiveContents& contents, const std::string& sourceName)
{
    for (const std::string pickle : { "data", "constants" }) {
        if (!contents.find(pickle + ".pkl"))
            continue;
        checkStorageRecordSizes(*readStorages(bytes, pickle, sourceName), contents, pickle, sourceName);
    }
}

void checkStorageRecordSizes(torch::jit::DeserializationStorageContext& storages, const PtArchiveContents& contents,
    const std::string& pickle, const std::string& sourceName)
{
    const std::string tensorFolder = contents.archiveName + "/" + pickle + "/";
    for (const PtArchiveEntry& entry : contents.entries) {
        if (entry.name.compare(0, tensorFolder.size(), tensorFolder) != 0)
            continue;
        const std::string key = entry.name.substr(tensorFolder.size());
        if (!storages.hasStorage(key))
            continue;
        const auto declared = static_cast<uint64_t>(storages.getStorage(key).nbytes());
        ND_CHECK(declared <= entry.size, sourceName, ": tensor data '", entry.name, "' holds ", entry.size,
            " bytes but the pickle declares ", declared);
    }
}

} // namespace netdraft::engine
