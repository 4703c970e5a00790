// Import format "onnx": an ONNX model (torch.onnx.export, Netdraft's own export, other frameworks).
// Compiled only when libonnx-dev is found (NETDRAFT_WITH_ONNX), so the format exists only then.

#include "engine/import/ImportFormatRegistry.h"
#include "engine/import/OnnxImport.h"
#include "engine/io/AtomicFile.h"
#include "engine/io/OnnxProto.h"

#include <filesystem>

namespace netdraft::engine {
namespace {

ImportedNetwork readOnnx(const ImportRequest& request, const std::string& bytes, std::vector<std::string>& notes)
{
    ImportedNetwork network = readOnnxNetwork(bytes, request.modelPath, request.inputShape, notes, request.keepUnsupported);
    network.name = std::filesystem::path(request.modelPath).stem().string();
    return network;
}

std::optional<RestoredProject> restoreOnnx(
    const ImportRequest& request, const std::string& bytes, std::vector<std::string>& notes)
{
    return restoreOnnxExport(bytes, request.modelPath, notes);
}

std::optional<ExportMetadata> onnxMetadata(const std::string& path)
{
    return onnxExportMetadata(readFileLimited(path, onnxproto::kMaxModelBytes), path);
}

NETDRAFT_REGISTER_IMPORT_FORMAT(
    (ImportFormatInfo { "onnx", "ONNX",
        "an ONNX model, e.g. from torch.onnx.export (opsets 7 to 17, weights inside the file)", { ".onnx" },
        /*runsCode=*/false, 20, onnxproto::kMaxModelBytes }),
    readOnnx, (ProjectRestorer { onnxMetadata, restoreOnnx }));

} // namespace
} // namespace netdraft::engine
