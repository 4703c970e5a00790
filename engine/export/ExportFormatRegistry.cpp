#include "engine/export/ExportFormatRegistry.h"

#include "engine/core/Error.h"

#include <algorithm>

namespace netdraft::engine {

ExportFormatRegistry& ExportFormatRegistry::instance()
{
    static ExportFormatRegistry registry;
    return registry;
}

void ExportFormatRegistry::add(ExportFormatInfo info, ExportWriter writer)
{
    std::string name = info.name;
    entries_[name] = Entry{std::move(info), std::move(writer)};
}

const ExportFormatRegistry::Entry& ExportFormatRegistry::entry(const std::string& name) const
{
    auto found = entries_.find(name);
    if (found == entries_.end()) {
        std::string words;
        const std::vector<std::string> names = exportFormatNames();
        for (size_t i = 0; i < names.size(); ++i)
            words += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
        ND_CHECK(false, "export format must be ", words, ", got '", name, "'");
    }
    return found->second;
}

const ExportWriter& ExportFormatRegistry::writer(const std::string& name) const
{
    return entry(name).writer;
}

const ExportFormatInfo& ExportFormatRegistry::info(const std::string& name) const
{
    return entry(name).info;
}

std::vector<ExportFormatInfo> ExportFormatRegistry::formats() const
{
    std::vector<ExportFormatInfo> result;
    for (const auto& [name, entry] : entries_)
        result.push_back(entry.info);
    std::stable_sort(result.begin(), result.end(),
        [](const ExportFormatInfo& a, const ExportFormatInfo& b) { return a.listPosition < b.listPosition; });
    return result;
}

std::vector<ExportFormatInfo> exportFormats()
{
    return ExportFormatRegistry::instance().formats();
}

std::vector<std::string> exportFormatNames()
{
    std::vector<std::string> names;
    for (const ExportFormatInfo& info : exportFormats())
        names.push_back(info.name);
    return names;
}

const ExportFormatInfo& exportFormat(const std::string& name)
{
    return ExportFormatRegistry::instance().info(name);
}

} // namespace netdraft::engine
