#pragma once
// Export of a trained graph as a self-contained TorchScript archive (.pt) that runs with
// torch.jit.load in Python or torch::jit::load in C++, without Netdraft.

#include "engine/export/ExportMetadata.h"
#include "engine/network/CompiledNetwork.h"
#include "engine/model/GraphModel.h"

#include <torch/script.h>

#include <string>

namespace netdraft::engine {

struct TorchScriptExportOptions {
    /// Apply the input scale and mean/std inside forward, so the module takes raw values.
    bool foldNormalization = false;
    /// Reload the saved bytes and compare the outputs with the model before anything is written.
    bool verify = true;
};

/// Builds the TorchScript module: one submodule per block (named by block id, with the model's
/// parameters and buffers under their LibTorch names and a forward from the layer's
/// torchScriptBody), and a top-level forward in execution order. The module is in eval mode.
/// Throws Error naming every block whose layer type cannot be exported.
torch::jit::Module buildTorchScriptModule(const CompiledNetwork& network, const GraphModelImpl& model,
                                          const ExportMetadata& metadata, const TorchScriptExportOptions& options = {});
/// The same, compiling `graph` first.
torch::jit::Module buildTorchScriptModule(const Graph& graph, const GraphModelImpl& model,
                                          const ExportMetadata& metadata, const TorchScriptExportOptions& options = {});

/// The archive bytes with the metadata as extra/netdraft.json; checked (container, reload and, when
/// options.verify, outputs against `model` in eval mode) before they are returned.
std::string torchScriptArchive(const CompiledNetwork& network, GraphModelImpl& model, const ExportMetadata& metadata,
                               const TorchScriptExportOptions& options = {});
std::string torchScriptArchive(const Graph& graph, GraphModelImpl& model, const ExportMetadata& metadata,
                               const TorchScriptExportOptions& options = {});

/// Writes torchScriptArchive() to `path` atomically; a failure leaves an existing file intact.
void exportTorchScript(const CompiledNetwork& network, GraphModelImpl& model, const ExportMetadata& metadata,
                       const std::string& path, const TorchScriptExportOptions& options = {});
void exportTorchScript(const Graph& graph, GraphModelImpl& model, const ExportMetadata& metadata,
                       const std::string& path, const TorchScriptExportOptions& options = {});

/// A TorchScript archive loaded after its container was checked, with its Netdraft metadata when present.
struct LoadedTorchScript {
    torch::jit::Module module;
    std::optional<ExportMetadata> metadata;
};

/// Checks and loads TorchScript archive bytes; never crashes on malformed input: throws Error.
/// Note that TorchScript is code: only load files you trust.
LoadedTorchScript loadTorchScriptArchive(const std::string& bytes, const std::string& sourceName);
/// Reads `path` (size-limited) and loads it with loadTorchScriptArchive().
LoadedTorchScript loadTorchScriptFile(const std::string& path);

} // namespace netdraft::engine
