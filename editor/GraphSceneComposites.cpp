// GraphScene's composite-block operations: group, ungroup, open, and the user library.

#include "editor/CompositeLibrary.h"
#include "editor/GraphScene.h"
#include "editor/commands/GroupBlocks.h"
#include "editor/commands/UngroupBlock.h"
#include "engine/core/Error.h"
#include "engine/layers/LayerRegistry.h"

#include <algorithm>

namespace netdraft::editor {

namespace {

/// "Group1", "Group2", ...: the first name that is neither a composite nor a layer type.
std::string freeCompositeName(const engine::Graph& graph, const std::string& base)
{
    for (int n = 1;; ++n) {
        const std::string name = base + std::to_string(n);
        if (!graph.findComposite(name) && !engine::LayerRegistry::instance().find(name))
            return name;
    }
}

std::string lowerCase(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return text;
}

} // namespace

QString GraphScene::groupSelection(const QString& name)
{
    const QStringList ids = selectedBlockIds();
    if (ids.isEmpty()) {
        Q_EMIT statusMessage(tr("Select the blocks to group"));
        return {};
    }
    const engine::Graph& graph = document_.graph();
    const std::string composite = name.isEmpty() ? freeCompositeName(graph, "Group") : name.toStdString();
    const std::string instance = graph.uniqueId(lowerCase(composite));
    std::vector<std::string> blockIds;
    for (const QString& id : ids)
        blockIds.push_back(id.toStdString());
    try {
        document_.push(new commands::GroupBlocks(document_, blockIds, composite, instance));
    } catch (const engine::Error& error) {
        Q_EMIT statusMessage(tr("Cannot group: %1").arg(QString::fromStdString(error.what())));
        return {};
    }
    selectBlocks({ QString::fromStdString(instance) });
    return QString::fromStdString(instance);
}

int GraphScene::ungroupSelection()
{
    QStringList instances;
    for (const QString& id : selectedBlockIds())
        if (document_.graph().findComposite(document_.graph().block(id.toStdString()).type))
            instances.push_back(id);
    if (instances.isEmpty()) {
        Q_EMIT statusMessage(tr("Select a composite block to ungroup"));
        return 0;
    }
    if (instances.size() > 1)
        document_.undoStack()->beginMacro(tr("Ungroup %n block(s)", nullptr, static_cast<int>(instances.size())));
    for (const QString& id : instances)
        document_.push(new commands::UngroupBlock(document_, id.toStdString()));
    if (instances.size() > 1)
        document_.undoStack()->endMacro();
    return static_cast<int>(instances.size());
}

QString GraphScene::selectedCompositeType() const
{
    const QStringList ids = selectedBlockIds();
    if (ids.size() != 1)
        return {};
    const engine::Block* block = document_.graph().findBlock(ids.front().toStdString());
    return block && document_.graph().findComposite(block->type) ? QString::fromStdString(block->type) : QString();
}

bool GraphScene::openSelectedComposite()
{
    const QString type = selectedCompositeType();
    if (type.isEmpty())
        return false;
    document_.openComposite(type);
    return true;
}

bool GraphScene::saveCompositeToLibrary(const CompositeLibrary& library)
{
    QString type = selectedCompositeType();
    if (type.isEmpty())
        type = document_.scope();
    if (type.isEmpty()) {
        Q_EMIT statusMessage(tr("Select a composite block to save it to the library"));
        return false;
    }
    const QString error = library.save(document_.project().graph, type.toStdString());
    Q_EMIT statusMessage(error.isEmpty() ? tr("Saved %1 to the library (%2)").arg(type, library.folder())
                                         : tr("Cannot save %1: %2").arg(type, error));
    return error.isEmpty();
}

bool GraphScene::importLibraryComposite(const QString& type)
{
    if (document_.project().graph.findComposite(type.toStdString()))
        return true;
    QString error;
    const CompositeLibrary library;
    if (!library.names().contains(type))
        return false;
    std::optional<engine::Graph> imported = library.importInto(document_.graph(), type, &error);
    if (!imported) {
        Q_EMIT statusMessage(tr("Cannot use %1 from the library: %2").arg(type, error));
        return false;
    }
    document_.push(new commands::ReplaceGraph(document_, std::move(*imported), tr("Import %1").arg(type)));
    return true;
}

} // namespace netdraft::editor
