// Export format "onnx": an ONNX model (opset 17) with the weights, for onnxruntime and other runtimes.
// Compiled only when libonnx-dev is found (NETDRAFT_WITH_ONNX), so the format exists only then.

#include "engine/export/ExportFormatRegistry.h"
#include "engine/export/OnnxExport.h"

namespace netdraft::engine {
namespace {

void writeOnnx(ExportJob& job)
{
    OnnxExportOptions options;
    options.foldNormalization = job.request.foldNormalization && !job.metadata.mean.empty();
    if (job.request.foldNormalization && job.metadata.mean.empty())
        job.report.notes.push_back("the project has no input normalisation to fold");
    exportOnnx(job.network, job.model, job.metadata, job.request.outputPath, options);
    job.report.files.push_back(job.request.outputPath);
}

NETDRAFT_REGISTER_EXPORT_FORMAT(
    (ExportFormatInfo { "onnx", "ONNX",
        "an ONNX model (opset 17) with the weights, for onnxruntime and other runtimes (no Netdraft or PyTorch needed)",
        "ONNX models (*.onnx)", ".onnx", 15 }),
    writeOnnx);

} // namespace
} // namespace netdraft::engine
