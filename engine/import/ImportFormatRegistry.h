#pragma once
// The readers behind the import formats. A format is one file in engine/import/formats/ that calls
// NETDRAFT_REGISTER_IMPORT_FORMAT with its ImportFormatInfo and a reader; the reader turns a file into
// an ImportedNetwork (ops mapped to layer types, with their weights) and ImportService does the rest
// the same way for every format (graph, composites, layout, weights file, project file).

#include "engine/core/NamedRegistry.h"
#include "engine/import/ExportedProject.h"
#include "engine/import/ImportFormat.h"
#include "engine/import/ImportService.h"
#include "engine/import/ImportedGraph.h"

#include <functional>

namespace netdraft::engine {

/// Reads `bytes`, the whole of `request.modelPath`, as its format; throws Error naming the file and
/// what is wrong (for ops without a block: each op, where it comes from and how often). Notes for the
/// user go to `notes`.
using ImportReader = std::function<ImportedNetwork(
    const ImportRequest& request, const std::string& bytes, std::vector<std::string>& notes)>;

/// For formats Netdraft also exports: what a Netdraft export of `request.modelPath` carries. `metadata`
/// reads only its export metadata (std::nullopt: none); `restore` gives back the project inside
/// `bytes` (the whole file, as the reader gets it) with the file's weights (std::nullopt when it
/// carries none: the reader imports the graph from the same bytes).
struct ProjectRestorer {
    std::function<std::optional<ExportMetadata>(const std::string& modelPath)> metadata;
    std::function<std::optional<RestoredProject>(
        const ImportRequest& request, const std::string& bytes, std::vector<std::string>& notes)>
        restore;
    explicit operator bool() const { return metadata && restore; }
};

class ImportFormatRegistry {
public:
    static ImportFormatRegistry& instance();

    /// Adds (or replaces) a format; `restorer` may be empty.
    void add(ImportFormatInfo info, ImportReader reader, ProjectRestorer restorer = {});
    /// The reader of `name`; throws Error naming the accepted words when there is none.
    const ImportReader& reader(const std::string& name) const;
    /// The restorer of `name` (empty when the format has none).
    const ProjectRestorer& restorer(const std::string& name) const;
    const ImportFormatInfo& info(const std::string& name) const;
    std::vector<ImportFormatInfo> formats() const;

private:
    struct Entry {
        std::string name;
        int listPosition = 0;
        ImportFormatInfo info;
        ImportReader reader;
        ProjectRestorer restorer;
    };
    ImportFormatRegistry();
    NamedRegistry<Entry> entries_;
};

} // namespace netdraft::engine

/// Registers an import format at load time (info, reader[, ProjectRestorer]); use once per format in its own .cpp.
#define NETDRAFT_REGISTER_IMPORT_FORMAT(...) \
    NETDRAFT_REGISTRATION(::netdraft::engine::ImportFormatRegistry::instance().add(__VA_ARGS__))
