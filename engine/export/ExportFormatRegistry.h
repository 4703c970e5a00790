#pragma once
// The writers behind the export formats. A format is one file in engine/export/formats/ that calls
// NETDRAFT_REGISTER_EXPORT_FORMAT with its ExportFormatInfo and a writer; ExportService prepares
// everything the writers share (the compiled network, the model with its weights, the metadata and,
// when it loads, the dataset) once, then calls the writer of the requested format.

#include "engine/data/PreparedData.h"
#include "engine/core/NamedRegistry.h"
#include "engine/export/ExportFormat.h"
#include "engine/export/ExportMetadata.h"
#include "engine/export/ExportService.h"
#include "engine/model/GraphModel.h"
#include "engine/network/CompiledNetwork.h"

#include <functional>
#include <optional>

namespace netdraft::engine {

/// What a writer gets: the request, its network and model (eval mode, weights imported), the metadata
/// (class names and normalisation filled in when the dataset loaded) and the report to add to.
struct ExportJob {
    const ExportRequest& request;
    const CompiledNetwork& network;
    GraphModelImpl& model;
    const ExportMetadata& metadata;
    const std::optional<PreparedData>& data;
    ExportReport& report;
};

using ExportWriter = std::function<void(ExportJob&)>;

class ExportFormatRegistry {
public:
    static ExportFormatRegistry& instance();

    /// Adds (or replaces) a format.
    void add(ExportFormatInfo info, ExportWriter writer);
    /// The writer of `name`; throws Error naming the accepted words when there is none.
    const ExportWriter& writer(const std::string& name) const;
    const ExportFormatInfo& info(const std::string& name) const;
    std::vector<ExportFormatInfo> formats() const;

private:
    struct Entry {
        std::string name;
        int listPosition = 0;
        ExportFormatInfo info;
        ExportWriter writer;
    };
    ExportFormatRegistry();
    NamedRegistry<Entry> entries_;
};

} // namespace netdraft::engine

/// Registers an export format at load time; use once per format in its own .cpp.
#define NETDRAFT_REGISTER_EXPORT_FORMAT(info, writer) \
    NETDRAFT_REGISTRATION(::netdraft::engine::ExportFormatRegistry::instance().add(info, writer))
