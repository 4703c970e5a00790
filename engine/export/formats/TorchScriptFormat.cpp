// Export format "torchscript": one .pt archive with code and weights, loaded by torch.jit.load.

#include "engine/export/ExportFormatRegistry.h"
#include "engine/export/TorchScriptExport.h"

namespace netdraft::engine {
namespace {

void writeTorchScript(ExportJob& job)
{
    TorchScriptExportOptions options;
    options.foldNormalization = job.request.foldNormalization && !job.metadata.mean.empty();
    if (job.request.foldNormalization && job.metadata.mean.empty())
        job.report.notes.push_back("the project has no input normalisation to fold");
    exportTorchScript(job.network, job.model, job.metadata, job.request.outputPath, options);
    job.report.files.push_back(job.request.outputPath);
}

NETDRAFT_REGISTER_EXPORT_FORMAT((ExportFormatInfo{"torchscript", "TorchScript",
    "a self-contained .pt archive with code and weights (torch.jit.load, no Netdraft needed)",
    "TorchScript archives (*.pt)", ".pt", 10}), writeTorchScript);

} // namespace
} // namespace netdraft::engine
