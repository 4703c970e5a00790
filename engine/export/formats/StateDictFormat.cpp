// Export format "state_dict": the named tensors in one .pt file, for model.load_state_dict.

#include "engine/export/ExportFormatRegistry.h"
#include "engine/io/StateDict.h"

namespace netdraft::engine {
namespace {

void writeStateDict(ExportJob& job)
{
    exportStateDict(job.model, job.request.outputPath);
    job.report.files.push_back(job.request.outputPath);
}

NETDRAFT_REGISTER_EXPORT_FORMAT((ExportFormatInfo{"state_dict", "Weights",
    "a PyTorch state dict (.pt) of the parameters and buffers, named like the exported code's attributes",
    "PyTorch state dicts (*.pt)", "-weights.pt", 20}), writeStateDict);

} // namespace
} // namespace netdraft::engine
