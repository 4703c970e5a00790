#include "engine/export/ExportFormatRegistry.h"

#include "engine/core/Error.h"

#include <algorithm>

namespace netdraft::engine {

ExportFormatRegistry::ExportFormatRegistry()
    : entries_("export format")
{
}

ExportFormatRegistry& ExportFormatRegistry::instance()
{
    static ExportFormatRegistry registry;
    return registry;
}

void ExportFormatRegistry::add(ExportFormatInfo info, ExportWriter writer)
{
    std::string name = info.name;
    const int listPosition = info.listPosition;
    entries_.add(Entry { std::move(name), listPosition, std::move(info), std::move(writer) });
}

const ExportWriter& ExportFormatRegistry::writer(const std::string& name) const
{
    return entries_.get(name).writer;
}

const ExportFormatInfo& ExportFormatRegistry::info(const std::string& name) const
{
    return entries_.get(name).info;
}

std::vector<ExportFormatInfo> ExportFormatRegistry::formats() const
{
    std::vector<ExportFormatInfo> result;
    for (const Entry& entry : entries_.entries())
        result.push_back(entry.info);
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
