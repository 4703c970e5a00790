#include "engine/export/ExportMetadata.h"

#include "engine/core/Error.h"
#include "engine/network/CompiledNetwork.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace netdraft::engine {

#ifndef NETDRAFT_VERSION
#error "NETDRAFT_VERSION is set by engine/CMakeLists.txt from project(VERSION)"
#endif
const char* const kNetdraftVersion = NETDRAFT_VERSION;

std::string ExportMetadata::toJson() const
{
    nlohmann::ordered_json json;
    json["format"] = "netdraft-export";
    json["format_version"] = kExportMetadataVersion;
    json["netdraft_version"] = netdraftVersion;
    json["project_name"] = projectName;
    json["input_shape"] = inputShape;
    json["input_dtype"] = inputDtype;
    json["input_scale"] = inputScale;
    json["task"] = task;
    json["class_names"] = classNames;
    if (!vocabulary.empty()) {
        json["vocabulary"] = vocabulary;
        json["text_unit"] = textUnit;
    }
    json["mean"] = mean;
    json["std"] = std;
    json["normalization_folded"] = normalizationFolded;
    if (!project.empty()) {
        json["project_directory"] = projectDirectory;
        json["project"] = nlohmann::ordered_json::parse(project);
    }
    return json.dump(2) + "\n";
}

ExportMetadata ExportMetadata::fromJson(const std::string& text, const std::string& sourceName)
{
    nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
    ND_CHECK(!json.is_discarded() && json.is_object(), sourceName, ": the metadata is not a JSON object");
    ND_CHECK(json.value("format", "") == "netdraft-export", sourceName, ": metadata 'format' is not netdraft-export");
    ExportMetadata metadata;
    try {
        const int version = json.at("format_version").get<int>();
        ND_CHECK(version <= kExportMetadataVersion, sourceName, ": metadata format_version ", version,
                 " is newer than this Netdraft reads (", kExportMetadataVersion, ")");
        metadata.netdraftVersion = json.value("netdraft_version", "");
        metadata.projectName = json.value("project_name", "");
        metadata.inputShape = json.at("input_shape").get<std::vector<int64_t>>();
        metadata.inputDtype = json.value("input_dtype", "float32");
        metadata.inputScale = json.value("input_scale", 1.0);
        metadata.task = json.value("task", "classification");
        metadata.classNames = json.value("class_names", std::vector<std::string>{});
        metadata.vocabulary = json.value("vocabulary", std::vector<std::string> {});
        metadata.textUnit = json.value("text_unit", "");
        metadata.mean = json.value("mean", std::vector<double>{});
        metadata.std = json.value("std", std::vector<double>{});
        metadata.normalizationFolded = json.value("normalization_folded", false);
        // Kept as text: the project is parsed (and its errors named) only when it is opened.
        if (json.contains("project")) {
            ND_CHECK(json.at("project").is_object(), sourceName, ": metadata 'project' is not a JSON object");
            metadata.project = json.at("project").dump();
            metadata.projectDirectory = json.value("project_directory", "");
        }
    } catch (const nlohmann::json::exception& error) {
        ND_CHECK(false, sourceName, ": invalid metadata (", error.what(), ")");
    }
    ND_CHECK(metadata.mean.size() == metadata.std.size(), sourceName, ": metadata has ", metadata.mean.size(),
             " mean values but ", metadata.std.size(), " std values");
    for (double value : metadata.std)
        ND_CHECK(value > 0, sourceName, ": metadata std values must be positive, got ", value);
    ND_CHECK(metadata.inputScale > 0, sourceName, ": metadata input_scale must be positive");
    return metadata;
}

std::vector<int64_t> normalizationShape(const ExportMetadata& metadata)
{
    const auto& shape = metadata.inputShape;
    ND_CHECK(metadata.mean.size() == metadata.std.size() && !metadata.mean.empty(),
        "folding the normalisation needs mean and std values");
    const int64_t channels = static_cast<int64_t>(metadata.mean.size());
    ND_CHECK(channels == 1 || (!shape.empty() && channels == shape[0]), "normalisation has ", channels,
        " mean values but the input has ", shape.empty() ? 0 : shape[0], " channels");
    std::vector<int64_t> broadcast(std::max<size_t>(shape.size(), 1), 1);
    broadcast[0] = channels;
    return broadcast;
}

ExportMetadata metadataOf(const CompiledNetwork& network)
{
    ExportMetadata metadata;
    metadata.inputShape = network.signature().inputShape;
    metadata.inputDtype = network.signature().inputDtype;
    metadata.task = network.signature().task();
    return metadata;
}

ExportMetadata metadataFromGraph(const Graph& graph)
{
    return metadataOf(CompiledNetwork::compile(graph));
}

} // namespace netdraft::engine
