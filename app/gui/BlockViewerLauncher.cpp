#include "app/gui/BlockViewerLauncher.h"

#include "app/gui/RunHistory.h"
#include "engine/graph/CompositeExpansion.h"
#include "engine/train/GraphFingerprint.h"
#include "widgets/BlockViewerWindow.h"

#include <QDir>
#include <QFileInfo>

namespace netdraft::app {
namespace {

/// The block the viewer shows for block `id` of `graph`: itself, or for a composite instance the inner
/// block behind the instance's first output port, whose output is the instance's ("stem1__pool1").
QString shownBlock(const engine::Graph& graph, const QString& id)
{
    const engine::Block* block = graph.findBlock(id.toStdString());
    const engine::CompositeDefinition* definition = block ? graph.findComposite(block->type) : nullptr;
    if (!definition || definition->outputs.empty())
        return id;
    const engine::ExpandedGraph expanded = engine::expandComposites(graph);
    const auto ports = expanded.instanceOutputs.find(block->id);
    if (ports == expanded.instanceOutputs.end())
        return id;
    const auto port = ports->second.find(definition->outputs.front().name);
    return port == ports->second.end() ? id : QString::fromStdString(port->second.block);
}

} // namespace

widgets::BlockViewerWindow* showBlockViewer(QWidget* parent, const engine::Project& current, const QString& projectPath,
    const RunHistory& runs, const std::function<std::optional<engine::Project>(int)>& runDesign, const QString& blockId)
{
    const std::string graph = engine::graphFingerprint(current.graph);
    engine::Project project = current;
    QString weights;
    QString weightsText = current.initialWeights.empty()
        ? QObject::tr("the design's starting weights, drawn from its seed (no run of this design kept its weights)")
        : QObject::tr("the design's starting weights from %1 (no run of this design kept its weights)")
              .arg(QString::fromStdString(current.initialWeights));
    for (auto run = runs.runs().rbegin(); run != runs.runs().rend(); ++run) {
        if (run->graphHash.toStdString() != graph || !runs.whyNoWeights(run->number).isEmpty())
            continue;
        const std::optional<engine::Project> design = runDesign(run->number);
        if (!design)
            continue;
        project = *design;
        weights = runs.weightsPath(run->number);
        weightsText = run->testAccuracy ? QObject::tr("run %1 (%2 epochs, test accuracy %3 %)")
                                              .arg(run->number)
                                              .arg(run->epochsCompleted)
                                              .arg(*run->testAccuracy * 100, 0, 'f', 1)
                                        : QObject::tr("run %1 (%2 epochs)").arg(run->number).arg(run->epochsCompleted);
        break;
    }
    // A run's snapshot has an absolute dataset path; the current design's resolves against the project.
    const QString directory = projectPath.isEmpty() ? QDir::currentPath() : QFileInfo(projectPath).absolutePath();
    auto* window = new widgets::BlockViewerWindow(parent);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->open(project, directory, weights, weightsText, shownBlock(current.graph, blockId));
    window->show();
    return window;
}

} // namespace netdraft::app
