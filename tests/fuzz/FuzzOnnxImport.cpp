// libFuzzer harness: the ONNX importer (parsing with size checks, header checks, check_model and shape
// inference, constant folding, op mapping) and the graph built from what it read, and the reader of the
// project a Netdraft export carries. Seeds: tests/corpus/seeds/model.onnx, exported-project.onnx and
// tests/corpus/onnx-import/. Built only with ONNX (NETDRAFT_ONNX).

#include "engine/core/Error.h"
#include "engine/import/ExportedProject.h"
#include "engine/import/ImportedGraph.h"
#include "engine/import/OnnxImport.h"

#include <torch/torch.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace netdraft::engine;
    std::vector<std::string> notes;
    try {
        (void)restoreOnnxExport(std::string(reinterpret_cast<const char*>(data), size), "fuzz.onnx", notes);
    } catch (const Error&) {
    }
    try {
        const ImportedNetwork network
            = readOnnxNetwork(std::string(reinterpret_cast<const char*>(data), size), "fuzz.onnx", {}, notes);
        (void)buildImportedGraph(network);
    } catch (const Error&) {
    }
    return 0;
}
