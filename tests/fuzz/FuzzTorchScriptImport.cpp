// libFuzzer harness: the TorchScript importer (archive checks, load, freeze, op mapping) and the graph
// built from what it read, and the reader of the project a Netdraft export carries. Seeds:
// tests/corpus/seeds/model.pt, exported-project.pt and tests/corpus/pt-import/.

#include "engine/core/Error.h"
#include "engine/import/ExportedProject.h"
#include "engine/import/ImportedGraph.h"
#include "engine/import/TorchScriptImport.h"

#include <torch/torch.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace netdraft::engine;
    std::vector<std::string> notes;
    try {
        (void)restoreTorchScriptExport(std::string(reinterpret_cast<const char*>(data), size), "fuzz.pt", notes);
    } catch (const Error&) {
    }
    try {
        const ImportedNetwork network
            = readTorchScriptNetwork(std::string(reinterpret_cast<const char*>(data), size), "fuzz.pt", { 8 }, notes);
        (void)buildImportedGraph(network);
    } catch (const Error&) {
    }
    return 0;
}
