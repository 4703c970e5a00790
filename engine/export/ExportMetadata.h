#pragma once
// What an exported model needs to be used without the project: input layout, classes and the
// input normalisation. Stored as JSON (extra/netdraft.json in TorchScript archives, netdraft.json
// beside model.py).

#include <cstdint>
#include <string>
#include <vector>

namespace netdraft::engine {

class CompiledNetwork;
class Graph;

/// The version of Netdraft that writes exports (CMake's project(VERSION)).
extern const char* const kNetdraftVersion;
/// Name of the metadata file inside a TorchScript archive (stored as "<archive>/extra/netdraft.json").
inline constexpr const char* kMetadataFileName = "netdraft.json";
inline constexpr int kExportMetadataVersion = 1;

/// Metadata of an exported model. Inputs are prepared as (raw / input_scale - mean) / std per
/// channel (channel = first per-sample dimension) unless normalization_folded says the module does it.
struct ExportMetadata {
    std::string projectName;
    std::vector<int64_t> inputShape; ///< one sample, without the batch dimension
    std::string inputDtype = "float32"; ///< float32 or int64 (token ids)
    double inputScale = 1.0;            ///< raw values are divided by this first (255 for 8-bit images)
    std::string task = "classification";
    std::vector<std::string> classNames;
    /// Token by id for token-id inputs (text data), to map ids back to text; empty otherwise.
    std::vector<std::string> vocabulary;
    std::string textUnit; ///< "characters" or "words" (how tokens join) with a vocabulary; empty otherwise
    std::vector<double> mean; ///< per channel; empty: no normalisation
    std::vector<double> std;
    bool normalizationFolded = false; ///< the TorchScript forward applies scale and mean/std itself
    std::string netdraftVersion = kNetdraftVersion;
    /// The project the model was exported from, as its .netdraft text, so that importing the export
    /// opens that project again (engine/import/ExportedProject.h); empty: not recorded (older exports).
    std::string project;
    /// The folder of that project's file, for its relative dataset paths.
    std::string projectDirectory;

    std::string toJson() const;
    /// Throws Error naming `sourceName` and the key when the text is not valid metadata.
    static ExportMetadata fromJson(const std::string& text, const std::string& sourceName);
};

/// The shape mean and std take to broadcast over one sample when an export folds the normalisation:
/// C×1×…×1. Throws Error when there are no values or their count fits neither 1 nor the channels.
std::vector<int64_t> normalizationShape(const ExportMetadata& metadata);

/// Input shape, dtype and task of a compiled network.
ExportMetadata metadataOf(const CompiledNetwork& network);
/// The same for a graph, compiled first (throws Error when it has errors or no single Input/Output).
ExportMetadata metadataFromGraph(const Graph& graph);

} // namespace netdraft::engine
