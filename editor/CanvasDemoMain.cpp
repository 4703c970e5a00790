// netdraft_canvas_demo: a manual-test window with palette, canvas, inspector and problems on the
// classic CIFAR-10 CNN. --naive builds the version without pooling (an error on fc);
// --select ID selects a block; --screenshot FILE saves the window after start-up and quits.

#include "editor/BlockGeometry.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"
#include "engine/graph/GraphBuilder.h"
#include "widgets/InspectorWidget.h"
#include "widgets/PaletteWidget.h"
#include "widgets/ProblemsWidget.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenuBar>
#include <QStatusBar>
#include <QTimer>

using namespace netdraft;

namespace {

/// Input 3×32×32 → (Conv2d 3×3 pad 1, ReLU[, MaxPool2d]) × 3 with 32/64/128 channels → Flatten → Linear(10) → Output.
engine::Project classicCnn(bool naive)
{
    engine::GraphBuilder builder;
    builder.input({ 3, 32, 32 });
    const int64_t channels[] = { 32, 64, 128 };
    for (int i = 0; i < 3; ++i) {
        const std::string n = std::to_string(i + 1);
        builder.then("Conv2d", { { "out_channels", channels[i] }, { "padding", int64_t(1) } }, "conv" + n)
            .then("ReLU", {}, "relu" + n);
        if (!naive)
            builder.then("MaxPool2d", {}, "pool" + n);
    }
    builder.then("Flatten", {}, "flatten");
    engine::ParamMap linear { { "out_features", int64_t(10) } };
    if (naive)
        linear["in_features"] = int64_t(128);
    builder.then("Linear", linear, "fc").output();
    engine::Project project;
    project.name = naive ? "Classic CNN (naive)" : "Classic CNN";
    project.graph = builder.graph();
    return project;
}

/// One row per stage, so that the chain reads at 100 % in a laptop-sized window.
void layOutInStages(engine::Graph& graph)
{
    const double columnStep = editor::geometry::kBlockWidth + 100, rowStep = 170;
    int row = 0, column = 0;
    for (const engine::Block& block : std::vector<engine::Block>(graph.blocks())) {
        const bool startsStage = block.type == "Conv2d" && block.id != "conv1";
        if ((startsStage || block.type == "Flatten") && column > 0) {
            ++row;
            column = 0;
        }
        graph.block(block.id).position = { column * columnStep, row * rowStep };
        ++column;
    }
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({ "naive", "Build the CNN without pooling (shape error on fc)." });
    parser.addOption({ "select", "Select this block.", "id" });
    parser.addOption({ "screenshot", "Save a screenshot of the window to this file and quit.", "file" });
    parser.process(app);

    engine::Project project = classicCnn(parser.isSet("naive"));
    layOutInStages(project.graph);
    editor::GraphDocument document(project);
    editor::GraphScene scene(document);

    QMainWindow window;
    window.setWindowTitle(QStringLiteral("Netdraft canvas demo — %1").arg(QString::fromStdString(project.name)));
    auto* view = new editor::GraphView(&scene);
    window.setCentralWidget(view);
    auto dock = [&](const QString& title, QWidget* widget, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, &window);
        d->setWidget(widget);
        d->setFeatures(QDockWidget::DockWidgetMovable);
        window.addDockWidget(area, d);
        return d;
    };
    auto* palette = new widgets::PaletteWidget;
    auto* inspector = new widgets::InspectorWidget(document);
    auto* problems = new widgets::ProblemsWidget(document);
    dock(QObject::tr("Layers"), palette, Qt::LeftDockWidgetArea);
    dock(QObject::tr("Inspector"), inspector, Qt::RightDockWidgetArea);
    dock(QObject::tr("Problems"), problems, Qt::BottomDockWidgetArea);
    window.resizeDocks({ window.findChildren<QDockWidget*>()[0], window.findChildren<QDockWidget*>()[1] }, { 170, 350 },
        Qt::Horizontal);
    window.resizeDocks({ window.findChildren<QDockWidget*>()[2] }, { 110 }, Qt::Vertical);

    QObject::connect(
        &scene, &editor::GraphScene::selectedBlocksChanged, inspector, &widgets::InspectorWidget::showSelection);
    QObject::connect(problems, &widgets::ProblemsWidget::blockActivated, view, &editor::GraphView::focusBlock);
    QObject::connect(palette, &widgets::PaletteWidget::layerActivated, view,
        [&](const QString& type) { scene.addBlockAt(type, view->mapToScene(view->viewport()->rect().center())); });
    QObject::connect(&scene, &editor::GraphScene::statusMessage, window.statusBar(),
        [&](const QString& text) { window.statusBar()->showMessage(text, 5000); });
    QMenu* edit = window.menuBar()->addMenu(QObject::tr("&Edit"));
    for (const char* name :
        { "undo", "redo", "cut", "copy", "paste", "duplicate", "delete", "selectAll", "autoLayout" })
        edit->addAction(view->action(name));
    QMenu* viewMenu = window.menuBar()->addMenu(QObject::tr("&View"));
    for (const char* name : { "zoomIn", "zoomOut", "fit", "quickAdd" })
        viewMenu->addAction(view->action(name));

    window.resize(1600, 1000);
    window.show();
    QTimer::singleShot(0, view, [&] {
        view->fitToView(); // 100 % when the graph fits, a little less otherwise
        if (parser.isSet("select"))
            scene.selectBlocks({ parser.value("select") });
        window.statusBar()->showMessage(
            QObject::tr("Drag from an output port to an input to connect; Tab adds a layer."));
    });
    if (parser.isSet("screenshot"))
        QTimer::singleShot(1500, &window, [&] {
            window.grab().save(parser.value("screenshot"));
            app.quit();
        });
    return app.exec();
}
