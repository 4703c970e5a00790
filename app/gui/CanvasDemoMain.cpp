// netdraft_canvas_demo: a manual-test window with palette, canvas, inspector and problems on the
// classic CIFAR-10 CNN. --naive builds the version without pooling (an error on fc);
// --select ID selects a block; --screenshot FILE saves the window after start-up and quits;
// --composite makes the three Conv2d+ReLU stages instances of one composite block, ConvLayer;
// --minimap shows the overview; --open NAME opens a composite's inside.

#include "editor/BlockGeometry.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"
#include "engine/graph/CompositeGrouping.h"
#include "engine/graph/GraphBuilder.h"
#include "widgets/editing/InspectorWidget.h"
#include "widgets/editing/PaletteWidget.h"
#include "widgets/editing/ProblemsWidget.h"

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
    // Along the chain from the Input block (grouping moves blocks within the document's order).
    std::vector<engine::Block> chain;
    for (const engine::Block* block = graph.findBlock("input"); block;) {
        chain.push_back(*block);
        const auto next = graph.connectionsFrom(block->id);
        block = next.empty() ? nullptr : graph.findBlock(next.front().to.block);
    }
    for (const engine::Block& block : chain) {
        const bool startsStage
            = (block.type == "Conv2d" && block.id != "conv1") || (block.type == "ConvLayer" && block.id != "stage1");
        if ((startsStage || block.type == "Flatten") && column > 0) {
            ++row;
            column = 0;
        }
        graph.block(block.id).position = { column * columnStep, row * rowStep };
        ++column;
    }
}

/// conv1+relu1 grouped into ConvLayer (instance "stage1"); the other two stages become instances of
/// it too, so all three share one definition (32 channels each).
void useConvLayers(engine::Graph& graph)
{
    graph = engine::groupBlocks(graph, { "conv1", "relu1" }, "ConvLayer", "stage1");
    graph.block("stage1").name = "Stage 1";
    for (const char* n : { "2", "3" }) {
        const std::string conv = std::string("conv") + n, relu = std::string("relu") + n;
        const engine::Connection in = *graph.connectionInto({ conv, "in" });
        const engine::Connection out = graph.connectionsFrom(relu).front();
        const engine::Point position = graph.block(conv).position;
        graph.removeBlock(conv);
        graph.removeBlock(relu);
        const std::string id = std::string("stage") + n;
        graph.addBlock({ id, "ConvLayer", std::string("Stage ") + n, {}, position });
        graph.connect({ in.from, { id, "in" } });
        graph.connect({ { id, "out" }, out.to });
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
    parser.addOption({ "composite", "Make the three Conv2d+ReLU stages instances of one composite block." });
    parser.addOption({ "minimap", "Show the minimap." });
    parser.addOption({ "open", "Open this composite block's inside.", "name" });
    parser.process(app);

    engine::Project project = classicCnn(parser.isSet("naive"));
    layOutInStages(project.graph);
    if (parser.isSet("composite")) {
        useConvLayers(project.graph);
        layOutInStages(project.graph);
    }
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
    palette->setDocument(&document);
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
        { "undo", "redo", "cut", "copy", "paste", "duplicate", "delete", "selectAll", "autoLayout", "group", "ungroup",
            "openComposite", "closeComposite", "saveComposite" })
        edit->addAction(view->action(name));
    QMenu* viewMenu = window.menuBar()->addMenu(QObject::tr("&View"));
    for (const char* name : { "zoomIn", "zoomOut", "fit", "quickAdd", "minimap" })
        viewMenu->addAction(view->action(name));

    window.resize(1600, 1000);
    window.show();
    QTimer::singleShot(0, view, [&] {
        view->fitToView(); // 100 % when the graph fits, a little less otherwise
        if (parser.isSet("open"))
            document.openComposite(parser.value("open"));
        if (parser.isSet("select"))
            scene.selectBlocks({ parser.value("select") });
        if (parser.isSet("minimap"))
            view->setMinimapVisible(true);
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
