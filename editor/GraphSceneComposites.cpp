// GraphScene's composite-block operations: group, ungroup, open, rename, the user library, and the
// markers of the open composite's ports.

#include "editor/BlockItem.h"
#include "editor/CompositeActions.h"
#include "editor/CompositeLibrary.h"
#include "editor/CompositePortMarker.h"
#include "editor/GraphScene.h"
#include "editor/commands/GroupBlocks.h"
#include "editor/commands/ReplaceGraph.h"
#include "editor/commands/UngroupBlock.h"
#include "engine/core/Error.h"
#include "engine/layers/LayerRegistry.h"

#include <algorithm>
#include <limits>

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

bool GraphScene::renameComposite(const QString& from, const QString& to)
{
    const QString why = editor::renameComposite(document_, from, to);
    if (!why.isEmpty())
        Q_EMIT statusMessage(why);
    return why.isEmpty();
}

bool GraphScene::renameOpenCompositePort(bool input, const QString& from, const QString& to)
{
    const QString composite = document_.scope();
    const QString why = composite.isEmpty() ? tr("Open a composite block to rename its ports")
                                            : editor::renameCompositePort(document_, composite, input, from, to);
    if (!why.isEmpty())
        Q_EMIT statusMessage(why);
    return why.isEmpty();
}

CompositePortMarker* GraphScene::portMarker(bool input, const QString& name) const
{
    for (CompositePortMarker* marker : portMarkers_)
        if (marker->isInput() == input && marker->name() == name)
            return marker;
    return nullptr;
}

namespace {

/// Vertical places for tags that would like to sit at `wanted`: in that order, at least `gap` apart.
std::vector<double> spreadOut(const std::vector<double>& wanted, double gap)
{
    std::vector<size_t> order(wanted.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return wanted[a] < wanted[b]; });
    std::vector<double> placed(wanted.size());
    double next = -std::numeric_limits<double>::infinity();
    for (size_t i : order) {
        placed[i] = std::max(wanted[i], next);
        next = placed[i] + gap;
    }
    return placed;
}

double averageY(const std::vector<QPointF>& points, double fallback)
{
    if (points.empty())
        return fallback;
    double sum = 0;
    for (const QPointF& point : points)
        sum += point.y();
    return sum / static_cast<double>(points.size());
}

} // namespace

void GraphScene::updatePortMarkers()
{
    const engine::CompositeDefinition* definition = document_.scope().isEmpty()
        ? nullptr
        : document_.project().graph.findComposite(document_.scope().toStdString());
    std::vector<std::pair<bool, QString>> ports;
    if (definition) {
        for (const std::string& name : definition->inputNames())
            ports.emplace_back(true, QString::fromStdString(name));
        for (const std::string& name : definition->outputNames())
            ports.emplace_back(false, QString::fromStdString(name));
    }
    bool same = ports.size() == portMarkers_.size();
    for (size_t i = 0; same && i < ports.size(); ++i)
        same = portMarkers_[i]->isInput() == ports[i].first && portMarkers_[i]->name() == ports[i].second;
    if (!same) {
        for (CompositePortMarker* marker : portMarkers_)
            delete marker;
        portMarkers_.clear();
        for (const auto& [input, name] : ports) {
            auto* marker = new CompositePortMarker(input, name);
            addItem(marker);
            portMarkers_.push_back(marker);
        }
    }
    if (!definition)
        return;

    QRectF box;
    for (const auto& [id, item] : blocks_)
        box |= item->sceneBoundingRect();
    if (box.isNull())
        box = QRectF(0, 0, 200, 80);
    constexpr double kDistance = 90; // from the blocks to the dot of a tag
    constexpr double kGap = 36; // between two tags' centres
    std::vector<std::vector<QPointF>> ends;
    std::vector<double> wantedInputs;
    std::vector<double> wantedOutputs;
    for (const engine::CompositeInput& input : definition->inputs) {
        std::vector<QPointF>& targets = ends.emplace_back();
        for (const engine::PortRef& target : input.targets)
            targets.push_back(portScenePosition(target, true));
        wantedInputs.push_back(averageY(targets, box.center().y()));
    }
    for (const engine::CompositeOutput& output : definition->outputs) {
        ends.push_back({ portScenePosition(output.source, false) });
        wantedOutputs.push_back(ends.back().front().y());
    }
    const std::vector<double> inputY = spreadOut(wantedInputs, kGap);
    const std::vector<double> outputY = spreadOut(wantedOutputs, kGap);
    for (size_t i = 0; i < portMarkers_.size(); ++i) {
        const bool input = i < inputY.size();
        const QPointF anchor = input ? QPointF(box.left() - kDistance, inputY[i])
                                     : QPointF(box.right() + kDistance, outputY[i - inputY.size()]);
        portMarkers_[i]->setGeometry(anchor, ends[i]);
    }
}

} // namespace netdraft::editor
