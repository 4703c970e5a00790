#include "editor/CompositeLibrary.h"

#include "engine/io/ProjectFormat.h"

#include <QDir>
#include <QStandardPaths>

#include <set>

namespace netdraft::editor {

namespace {

/// `name` and every composite its blocks use, nested ones first.
void collect(const engine::Graph& graph, const std::string& name, std::vector<engine::CompositeDefinition>& result,
             std::set<std::string>& seen)
{
    const engine::CompositeDefinition* definition = graph.findComposite(name);
    if (!definition || !seen.insert(name).second)
        return;
    for (const engine::Block& block : definition->blocks)
        collect(graph, block.type, result, seen);
    result.push_back(*definition);
}

} // namespace

CompositeLibrary::CompositeLibrary(QString folder)
    : folder_(folder.isEmpty()
              ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/composites")
              : std::move(folder))
{
}

QStringList CompositeLibrary::names() const
{
    QStringList names;
    for (const QString& file : QDir(folder_).entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name))
        names.push_back(file.chopped(5));
    return names;
}

QString CompositeLibrary::save(const engine::Graph& graph, const std::string& name) const
{
    std::vector<engine::CompositeDefinition> definitions;
    std::set<std::string> seen;
    collect(graph, name, definitions, seen);
    if (definitions.empty())
        return QObject::tr("no composite block named '%1'").arg(QString::fromStdString(name));
    engine::Project project;
    project.name = name;
    project.description = "Netdraft composite block library entry";
    try {
        for (engine::CompositeDefinition& definition : definitions)
            project.graph.addComposite(std::move(definition));
        if (!QDir().mkpath(folder_))
            return QObject::tr("cannot create the folder %1").arg(folder_);
        engine::saveProjectFile(project, (folder_ + "/" + QString::fromStdString(name) + ".json").toStdString());
    } catch (const engine::Error& error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

std::optional<std::vector<engine::CompositeDefinition>> CompositeLibrary::load(const QString& name, QString* error) const
{
    try {
        const engine::Project project = engine::loadProjectFile((folder_ + "/" + name + ".json").toStdString());
        if (!project.graph.findComposite(name.toStdString()))
            throw engine::Error("the file does not define " + name.toStdString());
        return project.graph.composites();
    } catch (const engine::Error& failure) {
        if (error)
            *error = QString::fromStdString(failure.what());
        return std::nullopt;
    }
}

std::optional<engine::Graph> CompositeLibrary::importInto(const engine::Graph& graph, const QString& name, QString* error) const
{
    auto definitions = load(name, error);
    if (!definitions)
        return std::nullopt;
    engine::Graph result = graph;
    for (engine::CompositeDefinition& definition : *definitions)
        if (!result.findComposite(definition.name))
            result.addComposite(std::move(definition));
    return result;
}

} // namespace netdraft::editor
