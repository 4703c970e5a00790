#include "engine/import/ImportFormatRegistry.h"

#include "engine/core/Error.h"

#include <algorithm>
#include <cctype>

namespace netdraft::engine {

ImportFormatRegistry::ImportFormatRegistry()
    : entries_("import format")
{
}

ImportFormatRegistry& ImportFormatRegistry::instance()
{
    static ImportFormatRegistry registry;
    return registry;
}

void ImportFormatRegistry::add(ImportFormatInfo info, ImportReader reader, ProjectRestorer restorer)
{
    // A format without a size limit would read any file whole, however large: registration says one.
    ND_CHECK(info.maxFileBytes > 0, "import format ", info.name, " registers no maxFileBytes");
    std::string name = info.name;
    const int listPosition = info.listPosition;
    entries_.add(Entry { std::move(name), listPosition, std::move(info), std::move(reader), std::move(restorer) });
}

const ProjectRestorer& ImportFormatRegistry::restorer(const std::string& name) const
{
    return entries_.get(name).restorer;
}

const ImportReader& ImportFormatRegistry::reader(const std::string& name) const
{
    return entries_.get(name).reader;
}

const ImportFormatInfo& ImportFormatRegistry::info(const std::string& name) const
{
    return entries_.get(name).info;
}

std::vector<ImportFormatInfo> ImportFormatRegistry::formats() const
{
    std::vector<ImportFormatInfo> result;
    for (const Entry& entry : entries_.entries())
        result.push_back(entry.info);
    return result;
}

std::string ImportFormatInfo::fileFilter() const
{
    std::string patterns;
    for (const std::string& suffix : suffixes)
        patterns += (patterns.empty() ? "*" : " *") + suffix;
    return title + " (" + patterns + ")";
}

std::vector<ImportFormatInfo> importFormats()
{
    return ImportFormatRegistry::instance().formats();
}

std::vector<std::string> importFormatNames()
{
    std::vector<std::string> names;
    for (const ImportFormatInfo& info : importFormats())
        names.push_back(info.name);
    return names;
}

const ImportFormatInfo& importFormat(const std::string& name)
{
    return ImportFormatRegistry::instance().info(name);
}

const ImportFormatInfo* importFormatForFile(const std::string& path)
{
    std::string lower = path;
    for (char& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const ImportFormatInfo& info : importFormats())
        for (const std::string& suffix : info.suffixes)
            if (lower.size() > suffix.size() && lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0)
                return &ImportFormatRegistry::instance().info(info.name);
    return nullptr;
}

std::vector<std::string> importFileFilters()
{
    std::string all;
    std::vector<std::string> filters;
    for (const ImportFormatInfo& info : importFormats()) {
        for (const std::string& suffix : info.suffixes)
            all += (all.empty() ? "*" : " *") + suffix;
        filters.push_back(info.fileFilter());
    }
    filters.insert(filters.begin(), "Models (" + all + ")");
    return filters;
}

} // namespace netdraft::engine
