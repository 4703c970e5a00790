// The project inside a TorchScript archive that Netdraft exported: extra/netdraft.json holds it, and
// the archive holds one submodule per block (named by its expanded id) with the block's parameters and
// buffers under their LibTorch names (engine/export/TorchScriptExport.h).

#include "engine/core/Error.h"
#include "engine/export/TorchScriptExport.h"
#include "engine/import/ExportedProject.h"
#include "engine/io/TorchErrorText.h"
#include "engine/io/ZipContainerCheck.h"
#include "engine/network/CompiledNetwork.h"

#include <caffe2/serialize/inline_container.h>
#include <caffe2/serialize/istream_adapter.h>

#include <map>
#include <sstream>

namespace netdraft::engine {

namespace {

/// extra/netdraft.json, read without loading the module (a file that is not an export costs no load).
std::optional<std::string> metadataText(const std::string& bytes, const std::string& sourceName)
{
    if (!mayHoldExportMetadata(bytes, kMetadataFileName))
        return std::nullopt;
    const PtArchiveContents contents = checkPtArchive(bytes, PtArchiveKind::TorchScript, sourceName);
    const std::string record = std::string("extra/") + kMetadataFileName;
    if (!contents.find(record))
        return std::nullopt;
    try {
        std::istringstream stream(bytes);
        caffe2::serialize::PyTorchStreamReader reader(std::make_unique<caffe2::serialize::IStreamAdapter>(&stream));
        auto [data, size] = reader.getRecord(record);
        return std::string(static_cast<const char*>(data.get()), size);
    } catch (const std::exception& error) {
        ND_CHECK(false, sourceName, ": cannot read ", record, ": ", torchErrorText(error));
    }
    return std::nullopt;
}

} // namespace

std::optional<ExportMetadata> torchScriptExportMetadata(const std::string& bytes, const std::string& sourceName)
{
    const std::optional<std::string> text = metadataText(bytes, sourceName);
    if (!text)
        return std::nullopt;
    return readExportMetadata(*text, sourceName + " (extra/netdraft.json)");
}

std::optional<RestoredProject> restoreTorchScriptExport(
    const std::string& bytes, const std::string& sourceName, std::vector<std::string>& notes)
{
    const std::optional<ExportMetadata> metadata = torchScriptExportMetadata(bytes, sourceName);
    std::optional<Project> project = projectInside(metadata, sourceName, notes);
    if (!project)
        return std::nullopt;
    const torch::jit::Module module = loadTorchScriptArchive(bytes, sourceName).module;
    std::map<std::string, std::map<std::string, torch::Tensor>> blocks; // block id → tensor name → tensor
    for (const auto& child : module.named_children()) {
        auto& tensors = blocks[child.name];
        for (const auto& item : child.value.named_parameters(true))
            tensors[item.name] = item.value;
        for (const auto& item : child.value.named_buffers(true))
            tensors[item.name] = item.value;
    }
    std::vector<std::string> missing;
    RestoredProject restored = restoreProject(std::move(*project), *metadata, sourceName,
        [&](const NetworkStep& block, const std::string& name, const torch::Tensor&) -> std::optional<torch::Tensor> {
            const auto found = blocks.find(block.id());
            if (found == blocks.end())
                return std::nullopt;
            const auto tensor = found->second.find(name);
            return tensor == found->second.end() ? std::nullopt : std::optional<torch::Tensor>(tensor->second);
        },
        missing);
    std::string list;
    for (const std::string& item : missing)
        list += "\n  " + item;
    ND_CHECK(missing.empty(), sourceName, ": the archive lacks tensors of the project inside it (it was changed after "
        "Netdraft exported it):", list, kImportNetworkAloneHint);
    return restored;
}

} // namespace netdraft::engine
