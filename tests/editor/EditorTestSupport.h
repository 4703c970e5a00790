#pragma once
// Helpers shared by the editor and widgets suites: example projects and simulated mouse gestures.

#include "engine/project/Project.h"

#include <QPoint>
#include <QPointF>

#include <string>

class QGraphicsView;

namespace netdraft::tests {

/// A project holding classicCnn(withPooling) (tests/engine/TestGraphs.h).
engine::Project classicCnnProject(bool withPooling);

/// Where scene point `scenePos` is on the view's viewport.
QPoint viewportPoint(const QGraphicsView& view, QPointF scenePos);

/// Press the left button at scene point `from`, move in a few steps to `to`, release there.
void dragWithMouse(QGraphicsView& view, QPointF from, QPointF to);

/// The project written as text, for comparisons that print a readable diff on failure.
std::string describeProject(const engine::Project& project);

} // namespace netdraft::tests
