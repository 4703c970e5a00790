#pragma once
// Helpers shared by the editor and widgets suites: example projects, a shown canvas, simulated
// mouse gestures and the geometric check that a connection runs clear of the blocks.

#include "editor/GraphDocument.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"
#include "engine/project/Project.h"

#include <QStringList>

#include <QPainterPath>
#include <QPoint>
#include <QPointF>
#include <QRectF>
#include <QSize>

#include <map>
#include <string>
#include <utility>
#include <vector>

class QGraphicsView;
class QMimeData;

namespace netdraft::tests {

/// Answers the next QInputDialog with `text` (OK), from inside its own event loop.
void answerNextDialog(const QString& text);

/// Runs the event loop until every item of `scene` shows the document's current shapes (inference
/// runs on a worker and the scene applies it in slices); false after 5 s.
bool waitForShapes(const editor::GraphScene& scene);

/// The project as the file format writes it: undo and redo must give back exactly these bytes.
std::string projectJson(const editor::GraphDocument& document);

/// The document changed from `before` (its projectJson); undo gives back exactly `before` and redo
/// the changed bytes. With `undoSteps` > 0 the change must be that many undo steps.
void checkUndoRedo(editor::GraphDocument& document, const std::string& before, int undoSteps = 0);

/// A document on classicCnn(withPooling) and its scene, with `groups` ({blocks, composite name})
/// grouped in turn; then nothing is selected and the undo history is empty.
struct GroupedCanvas {
    editor::GraphDocument document;
    editor::GraphScene scene { document };

    explicit GroupedCanvas(bool withPooling, const std::vector<std::pair<QStringList, QString>>& groups);
};

/// A document on `graph` (block positions as given) in a view of `viewSize` centred on `centre`,
/// shown (offscreen), with the scene point of each block's "out" and "in" ports.
struct ShownCanvas {
    editor::GraphDocument document;
    editor::GraphScene scene { document };
    editor::GraphView view { &scene };

    explicit ShownCanvas(const engine::Graph& graph, QSize viewSize = { 1100, 600 }, QPointF centre = { 400, 100 });
    QPointF out(const std::string& id) const;
    QPointF in(const std::string& id) const;
    /// Halfway between the two ports of `wire`.
    QPointF middleOf(const engine::Connection& wire) const;
};

/// Where `block` of `graph` lies: its position (or `positions`' entry for it) and the size
/// BlockGeometry gives it, read from the document rather than from its canvas item.
QRectF blockRectOf(
    const engine::Graph& graph, const engine::Block& block, const std::map<std::string, engine::Point>& positions = {});

/// The blocks of `graph` (other than the connection's own two) whose inside `path` runs through,
/// found by stroking the path (1 px either side) and intersecting it with each block's rectangle
/// (blockRectOf) less its 2 px edge.
std::vector<std::string> blocksCrossed(
    const engine::Graph& graph, const engine::Connection& connection, const QPainterPath& path);

/// A project holding classicCnn(withPooling) (tests/engine/TestGraphs.h).
engine::Project classicCnnProject(bool withPooling);

/// Where scene point `scenePos` is on the view's viewport.
QPoint viewportPoint(const QGraphicsView& view, QPointF scenePos);

/// Press the left button at scene point `from`, move in a few steps to `to`, release there.
void dragWithMouse(QGraphicsView& view, QPointF from, QPointF to);

/// Delivers a drag enter and a drop of `mime` at scene point `scenePos` (Qt routes a drop to the
/// widget that accepted the enter); returns whether the drop was accepted.
bool dropOnView(QGraphicsView& view, QPointF scenePos, const QMimeData& mime);

/// The project written as text, for comparisons that print a readable diff on failure.
std::string describeProject(const engine::Project& project);

} // namespace netdraft::tests
