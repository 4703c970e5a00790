#include "tests/editor/EditorTestSupport.h"

#include "editor/BlockGeometry.h"
#include "editor/BlockItem.h"
#include "editor/GraphScene.h"
#include "editor/PortItem.h"
#include "engine/io/ProjectFormat.h"
#include "tests/engine/TestGraphs.h"

#include <QApplication>
#include <QDragEnterEvent>
#include <QGraphicsView>
#include <QInputDialog>
#include <QPainterPathStroker>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

#include <sstream>

namespace netdraft::tests {

std::string projectJson(const editor::GraphDocument& document)
{
    return engine::serializeProject(document.project());
}

void checkUndoRedo(editor::GraphDocument& document, const std::string& before, int undoSteps)
{
    const std::string after = projectJson(document);
    QVERIFY(after != before);
    if (undoSteps > 0)
        QCOMPARE(document.undoStack()->count(), undoSteps);
    document.undoStack()->undo();
    QCOMPARE(projectJson(document), before);
    document.undoStack()->redo();
    QCOMPARE(projectJson(document), after);
}

GroupedCanvas::GroupedCanvas(bool withPooling, const std::vector<std::pair<QStringList, QString>>& groups)
    : document(classicCnnProject(withPooling))
{
    for (const auto& [blocks, name] : groups) {
        scene.selectBlocks(blocks);
        QVERIFY2(!scene.groupSelection(name).isEmpty(), qPrintable(name));
    }
    scene.selectBlocks({});
    document.undoStack()->clear();
}

void answerNextDialog(const QString& text)
{
    auto* timer = new QTimer;
    timer->setInterval(10);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, text] {
        if (auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget())) {
            dialog->setTextValue(text);
            dialog->accept();
            timer->deleteLater();
        }
    });
    timer->start();
}

bool waitForShapes(const editor::GraphScene& scene)
{
    return QTest::qWaitFor([&] { return scene.showsCurrentShapes(); }, 5000);
}

ShownCanvas::ShownCanvas(const engine::Graph& graph, QSize viewSize, QPointF centre)
{
    engine::Project project;
    project.graph = graph;
    document.resetProject(project);
    view.resize(viewSize);
    view.show();
    view.centerOn(centre);
}

QPointF ShownCanvas::out(const std::string& id) const
{
    return scene.blockItem(QString::fromStdString(id))->outputPort("out")->scenePos();
}

QPointF ShownCanvas::in(const std::string& id) const
{
    return scene.blockItem(QString::fromStdString(id))->inputPort("in")->scenePos();
}

QPointF ShownCanvas::middleOf(const engine::Connection& wire) const
{
    return (scene.portScenePosition(wire.from, false) + scene.portScenePosition(wire.to, true)) / 2;
}

QRectF blockRectOf(
    const engine::Graph& graph, const engine::Block& block, const std::map<std::string, engine::Point>& positions)
{
    const engine::Point p = positions.count(block.id) ? positions.at(block.id) : block.position;
    return { QPointF(p.x, p.y), editor::geometry::blockSize(block, graph) };
}

std::vector<std::string> blocksCrossed(
    const engine::Graph& graph, const engine::Connection& connection, const QPainterPath& path)
{
    QPainterPathStroker stroker;
    stroker.setWidth(2);
    const QPainterPath stroke = stroker.createStroke(path);
    std::vector<std::string> crossed;
    for (const engine::Block& block : graph.blocks())
        if (block.id != connection.from.block && block.id != connection.to.block
            && stroke.intersects(blockRectOf(graph, block).adjusted(2, 2, -2, -2)))
            crossed.push_back(block.id);
    return crossed;
}

engine::Project classicCnnProject(bool withPooling)
{
    engine::Project project;
    project.name = "classic";
    project.graph = classicCnn(withPooling);
    return project;
}

QPoint viewportPoint(const QGraphicsView& view, QPointF scenePos)
{
    return view.mapFromScene(scenePos);
}

void dragWithMouse(QGraphicsView& view, QPointF from, QPointF to)
{
    QWidget* viewport = view.viewport();
    const QPoint start = viewportPoint(view, from);
    const QPoint end = viewportPoint(view, to);
    QTest::mousePress(viewport, Qt::LeftButton, Qt::NoModifier, start);
    for (int step = 1; step <= 4; ++step)
        QTest::mouseMove(viewport, start + (end - start) * step / 4);
    QTest::mouseRelease(viewport, Qt::LeftButton, Qt::NoModifier, end);
}

bool dropOnView(QGraphicsView& view, QPointF scenePos, const QMimeData& mime)
{
    const QPoint at = view.mapFromScene(scenePos);
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view.viewport(), &enter);
    QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view.viewport(), &drop);
    return enter.isAccepted() && drop.isAccepted();
}

std::string describeProject(const engine::Project& project)
{
    std::ostringstream out;
    for (const engine::Block& block : project.graph.blocks()) {
        out << block.id << " " << block.type << " '" << block.name << "' @" << block.position.x << ","
            << block.position.y;
        for (const auto& [name, value] : block.params)
            out << " " << name << "=" << engine::formatParamValue(value);
        out << "\n";
    }
    for (const engine::Connection& connection : project.graph.connections())
        out << engine::describeConnection(connection) << "\n";
    return out.str();
}

} // namespace netdraft::tests
