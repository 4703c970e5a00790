#pragma once
// Helpers shared by the editor and widgets suites: example projects and simulated mouse gestures.

#include "editor/GraphDocument.h"
#include "editor/GraphScene.h"
#include "engine/project/Project.h"

#include <QStringList>

#include <QPoint>
#include <QPointF>

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
