// Import format "torchscript": a module saved with torch.jit.save (scripted or traced).

#include "engine/import/ImportFormatRegistry.h"
#include "engine/import/TorchScriptImport.h"
#include "engine/io/AtomicFile.h"
#include "engine/io/ZipContainerCheck.h"

#include <filesystem>

namespace netdraft::engine {
namespace {

ImportedNetwork readTorchScript(
    const ImportRequest& request, const std::string& bytes, std::vector<std::string>& notes)
{
    ImportedNetwork network = readTorchScriptNetwork(bytes, request.modelPath, request.inputShape, notes, request.keepUnsupported);
    network.name = std::filesystem::path(request.modelPath).stem().string();
    return network;
}

std::optional<RestoredProject> restoreTorchScript(
    const ImportRequest& request, const std::string& bytes, std::vector<std::string>& notes)
{
    return restoreTorchScriptExport(bytes, request.modelPath, notes);
}

std::optional<ExportMetadata> torchScriptMetadata(const std::string& path)
{
    return torchScriptExportMetadata(readFileLimited(path, kMaxPtFileBytes), path);
}

NETDRAFT_REGISTER_IMPORT_FORMAT(
    (ImportFormatInfo { "torchscript", "PyTorch TorchScript",
        "a module saved with torch.jit.save after torch.jit.script or torch.jit.trace", { ".pt", ".pth" },
        /*runsCode=*/true, 10, kMaxPtFileBytes }),
    readTorchScript, (ProjectRestorer { torchScriptMetadata, restoreTorchScript }));

} // namespace
} // namespace netdraft::engine
