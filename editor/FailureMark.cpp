#include "editor/FailureMark.h"

#include "editor/BlockItem.h"
#include "editor/GraphScene.h"
#include "engine/graph/CompositeExpansion.h"
#include "engine/graph/Graph.h"

#include <QUndoStack>

#include <string_view>

namespace netdraft::editor {

namespace {

/// The marked block of the graph shown for a scope, and the path of the failing block inside it
/// ("res1/conv"; empty when it is the failing block itself).
struct MarkedPlace {
    std::string block;
    std::string inside;
};

/// The block of `blocks` whose id is `path` or begins it (followed by the expansion's separator); the
/// longest such id, so that an id holding the separator itself still matches.
const engine::Block* leadingBlock(const std::vector<engine::Block>& blocks, std::string_view path)
{
    const std::string_view separator = engine::kCompositeIdSeparator;
    const engine::Block* found = nullptr;
    for (const engine::Block& block : blocks) {
        const bool whole = path == block.id;
        const bool leads = path.size() > block.id.size() + separator.size()
            && path.substr(0, block.id.size()) == block.id
            && path.substr(block.id.size(), separator.size()) == separator;
        if ((whole || leads) && (!found || block.id.size() > found->id.size()))
            found = &block;
    }
    return found;
}

std::optional<MarkedPlace> placeIn(const engine::Graph& project, const std::string& scope, const RunFailure& failure)
{
    const std::string canvas = failure.canvasBlock.toStdString();
    std::string path = failure.runBlock.isEmpty() ? canvas : failure.runBlock.toStdString();
    const std::string separator = engine::kCompositeIdSeparator;
    // Walk the expanded id down through the definitions: project graph, the instance's definition, …
    const std::vector<engine::Block>* blocks = &project.blocks();
    std::string container; // the definition holding `blocks`; empty: the project's graph
    for (int depth = 0; depth < 64; ++depth) {
        const engine::Block* block = leadingBlock(*blocks, path);
        if (!block)
            break;
        const std::string rest = path == block->id ? std::string() : path.substr(block->id.size() + separator.size());
        if (container == scope) {
            MarkedPlace place { block->id, rest };
            for (size_t at = place.inside.find(separator); at != std::string::npos;
                 at = place.inside.find(separator, at + 1))
                place.inside.replace(at, separator.size(), "/");
            return place;
        }
        const engine::CompositeDefinition* definition = project.findComposite(block->type);
        if (rest.empty() || !definition)
            break;
        container = definition->name;
        blocks = &definition->blocks;
        path = rest;
    }
    // A failure whose block the walk does not find (the design changed): the canvas block alone.
    if (scope.empty() && project.findBlock(canvas))
        return MarkedPlace { canvas, {} };
    return std::nullopt;
}

/// "NaN" or "inf", after what the detail says the block gave.
QString tagOf(const QString& detail)
{
    if (detail.contains(QLatin1String("infinite")))
        return QStringLiteral("inf");
    return QStringLiteral("NaN");
}

} // namespace

std::string failedBlockIn(const engine::Graph& project, const std::string& scope, const RunFailure& failure)
{
    const std::optional<MarkedPlace> place = placeIn(project, scope, failure);
    return place ? place->block : std::string();
}

FailureMark::FailureMark(GraphScene& scene, QObject* parent)
    : QObject(parent)
    , scene_(scene)
{
    GraphDocument& document = scene_.document();
    // An edit may have fixed what failed: the mark describes the design the run trained.
    connect(document.undoStack(), &QUndoStack::indexChanged, this, &FailureMark::clear);
    // The scene makes its items again for another composite (or project): the mark follows.
    connect(&document, &GraphDocument::projectReset, this, &FailureMark::apply);
}

void FailureMark::show(const RunFailure& failure)
{
    failure_ = failure;
    apply();
}

void FailureMark::clear()
{
    if (!failure_)
        return;
    failure_.reset();
    apply();
}

QString FailureMark::text() const
{
    if (!failure_ || marked_.isEmpty())
        return {};
    const GraphDocument& document = scene_.document();
    const std::optional<MarkedPlace> place
        = placeIn(document.project().graph, document.scope().toStdString(), *failure_);
    const QString detail = failure_->detail.isEmpty() ? tr("a value became NaN or infinite") : failure_->detail;
    if (!place || place->inside.empty())
        return tr("Training stopped: %1").arg(detail);
    return tr("Training stopped at block %1 inside it: %2").arg(QString::fromStdString(place->inside), detail);
}

void FailureMark::apply()
{
    const GraphDocument& document = scene_.document();
    const QString previous = marked_;
    marked_.clear();
    if (failure_)
        marked_ = QString::fromStdString(
            failedBlockIn(document.project().graph, document.scope().toStdString(), *failure_));
    if (!previous.isEmpty() && previous != marked_)
        if (BlockItem* item = scene_.blockItem(previous))
            item->setFailure({}, {});
    if (!marked_.isEmpty())
        if (BlockItem* item = scene_.blockItem(marked_))
            item->setFailure(tagOf(failure_->detail), text());
    Q_EMIT changed();
}

} // namespace netdraft::editor
