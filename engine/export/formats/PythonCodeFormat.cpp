// Export format "python": a folder with model.py, weights.pt, netdraft.json, train.py and, when the
// dataset loads, data.pt, so the network trains and runs in plain PyTorch.

#include "engine/core/Error.h"
#include "engine/export/ExportFormatRegistry.h"
#include "engine/export/PythonModelExport.h"
#include "engine/export/PythonTrainExport.h"
#include "engine/io/AtomicFile.h"
#include "engine/io/StateDict.h"

#include <filesystem>

namespace netdraft::engine {
namespace {

void writePythonFolder(ExportJob& job)
{
    const ExportRequest& request = job.request;
    ExportReport& report = job.report;
    const std::filesystem::path folder(request.outputPath);
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    ND_CHECK(!error, "cannot create the folder ", request.outputPath, ": ", error.message());
    auto write = [&](const std::string& name, const std::string& bytes) {
        const std::string path = (folder / name).string();
        writeFileAtomically(path, bytes);
        report.files.push_back(path);
    };
    write("model.py", pythonModelSource(job.network, job.metadata));
    exportStateDict(job.model, (folder / "weights.pt").string());
    report.files.push_back((folder / "weights.pt").string());
    write("netdraft.json", job.metadata.toJson());
    write("train.py", pythonTrainSource(request.project.training, job.network));
    if (job.data) {
        write("data.pt", trainingDataArchive(job.data->train, job.data->validation));
        report.notes.push_back("data.pt: " + std::to_string(job.data->train.size()) + " training and "
            + std::to_string(job.data->validation.size()) + " validation samples");
    } else {
        report.notes.push_back("no data.pt written; train.py needs one (--data)");
    }
}

NETDRAFT_REGISTER_EXPORT_FORMAT((ExportFormatInfo{"python", "PyTorch Code",
    "a folder with model.py, weights.pt, train.py and data.pt: the network in plain PyTorch", "", "-pytorch", 30}),
    writePythonFolder);

} // namespace
} // namespace netdraft::engine
