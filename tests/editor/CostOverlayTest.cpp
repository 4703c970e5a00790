// View ▸ Cost overlay (editor/CostOverlay, CostAnalysis): after the count on the worker, each block
// of the canvas is tinted by its share of the largest figure, so the tints follow the engine's
// multiply-accumulates (or parameters); tooltips carry the figures with the overlay on or off; an
// edit is counted again; a composite instance sums the blocks inside it, and inside an open composite
// each block shows its figures in the composite's first instance. Time colours by a profile's
// forward + backward time while the profile was measured on the design and settings as they are.

#include "editor/CostOverlay.h"
#include "editor/BlockItem.h"
#include "editor/CostAnalysis.h"
#include "editor/GraphScene.h"
#include "editor/commands/SetParameter.h"
#include "editor/commands/SetSetting.h"
#include "engine/insight/BlockProfiler.h"
#include "engine/insight/NetworkCost.h"
#include "engine/io/ProjectFormat.h"
#include "engine/network/CompiledNetwork.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/engine/TestGraphs.h"
#include "tests/support/TestRegistry.h"

#include <QGraphicsView>
#include <QTest>

#include <tuple>

using namespace netdraft;
using editor::CostMetric;

namespace {

/// How strong a tint is: the ramp's green channel falls from pale yellow to red (white is none).
int tintStrength(const QColor& color)
{
    return 255 - color.green();
}

/// The engine's figure of `metric` for each block of the classic CNN, counted directly.
std::map<std::string, int64_t> engineCostFigures(CostMetric metric)
{
    const engine::NetworkCost cost = engine::costOf(engine::CompiledNetwork::compile(tests::classicCnn(true)));
    std::map<std::string, int64_t> figures;
    for (const engine::BlockCost& block : cost.blocks)
        figures[block.id] = metric == CostMetric::Parameters ? block.parameters() : block.multiplyAccumulates;
    return figures;
}

/// A hand-made profile of `project`'s expanded blocks: block i takes (i + 1) / 40 ms forward and
/// (i + 1) / 20 ms backward, except those `times` names (forward, backward).
engine::NetworkProfile handMadeProfile(
    const engine::Project& project, const std::map<std::string, std::pair<double, double>>& times = {})
{
    engine::NetworkProfile profile;
    const engine::NetworkCost cost = engine::costOf(engine::CompiledNetwork::compile(project));
    for (size_t i = 0; i < cost.blocks.size(); ++i) {
        engine::BlockTiming timing { cost.blocks[i].id, double(i + 1) / 40, double(i + 1) / 20 };
        if (const auto named = times.find(timing.id); named != times.end())
            std::tie(timing.forwardMs, timing.backwardMs) = named->second;
        profile.blocks.push_back(timing);
    }
    profile.batchSize = project.training.batchSize;
    profile.device = project.training.device;
    return profile;
}

/// The sum of the forward and backward times of the blocks whose ids start with `prefix`.
double timeOf(const engine::NetworkProfile& profile, const std::string& prefix)
{
    double sum = 0;
    for (const engine::BlockTiming& timing : profile.blocks)
        if (timing.id == prefix || timing.id.rfind(prefix + "__", 0) == 0)
            sum += timing.forwardMs + timing.backwardMs;
    return sum;
}

struct CostCanvas {
    editor::GraphDocument document { tests::classicCnnProject(true) };
    editor::GraphScene scene { document };
    QGraphicsView view { &scene };
    editor::CostAnalysis analysis { document };
    editor::CostOverlay overlay { scene, analysis, &view };

    bool counted()
    {
        return QTest::qWaitFor([this] { return tests::waitForShapes(scene) && !analysis.pending(); }, 10000);
    }
    editor::BlockItem& item(const char* id) { return *scene.blockItem(QString::fromLatin1(id)); }
};

/// The classic CNN with conv1, relu1 and pool1 grouped into one Stem instance, shown with the overlay.
struct StemCanvas {
    tests::GroupedCanvas grouped { true, { { { "conv1", "relu1", "pool1" }, "Stem" } } };
    QGraphicsView view { &grouped.scene };
    editor::CostAnalysis analysis { grouped.document };
    editor::CostOverlay overlay { grouped.scene, analysis, &view };

    StemCanvas()
    {
        view.resize(800, 600);
        view.show();
    }
    bool counted()
    {
        return QTest::qWaitFor([this] { return tests::waitForShapes(grouped.scene) && !analysis.pending(); }, 10000);
    }
};

} // namespace

class CostOverlayTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tintsFollowTheEnginesFigures_data()
    {
        QTest::addColumn<int>("metric");
        QTest::newRow("MACs") << int(CostMetric::MultiplyAccumulates);
        QTest::newRow("parameters") << int(CostMetric::Parameters);
    }

    void tintsFollowTheEnginesFigures()
    {
        QFETCH(int, metric);
        CostCanvas canvas;
        canvas.view.resize(800, 600);
        canvas.view.show();
        canvas.overlay.setMetric(CostMetric(metric));
        QVERIFY(canvas.counted());
        const std::map<std::string, int64_t> figures = engineCostFigures(CostMetric(metric));
        int64_t largest = 0;
        for (const auto& [id, value] : figures)
            largest = std::max(largest, value);
        QVERIFY(largest > 0);
        for (const auto& [a, valueA] : figures) {
            const QColor tintA = canvas.item(a.c_str()).overlayColor();
            QVERIFY2(tintA.isValid(), a.c_str());
            if (valueA == 0)
                QCOMPARE(tintA, QColor(Qt::white));
            if (valueA == largest)
                QCOMPARE(tintA, editor::CostOverlay::colorFor(1.0));
            for (const auto& [b, valueB] : figures) {
                const QColor tintB = canvas.item(b.c_str()).overlayColor();
                if (valueA > valueB && valueB > 0)
                    QVERIFY2(tintStrength(tintA) > tintStrength(tintB),
                        qPrintable(QString("%1 vs %2").arg(a.c_str(), b.c_str())));
                if (valueA == valueB)
                    QCOMPARE(tintA, tintB);
            }
        }
        QVERIFY(canvas.overlay.legend()->isVisible());
        QVERIFY(!canvas.item("output").overlayColor().isValid()); // the Output block is not counted
    }

    void macsRankTheConvolutions()
    {
        CostCanvas canvas;
        canvas.overlay.setMetric(CostMetric::MultiplyAccumulates);
        QVERIFY(canvas.counted());
        // conv2 and conv3 both make 4,718,592 MACs; conv1 884,736; fc 20,480; ReLUs none.
        QCOMPARE(canvas.item("conv2").overlayColor(), canvas.item("conv3").overlayColor());
        QVERIFY(tintStrength(canvas.item("conv2").overlayColor()) > tintStrength(canvas.item("conv1").overlayColor()));
        QVERIFY(tintStrength(canvas.item("conv1").overlayColor()) > tintStrength(canvas.item("fc").overlayColor()));
        QVERIFY(tintStrength(canvas.item("fc").overlayColor()) > tintStrength(canvas.item("relu1").overlayColor()));
    }

    void tooltipsCarryTheFiguresWithTheOverlayOff()
    {
        CostCanvas canvas;
        QVERIFY(canvas.counted());
        QVERIFY(!canvas.item("conv2").overlayColor().isValid()); // off by default
        QVERIFY(!canvas.overlay.legend()->isVisible());
        const QString tip = canvas.item("conv2").toolTip();
        QVERIFY2(tip.contains("18.50 k parameters"), qPrintable(tip)); // 64·32·9 + 64 = 18,496
        QVERIFY2(tip.contains("4.72 M MACs"), qPrintable(tip));
        QVERIFY2(tip.contains("activations 4.00 MiB at batch size 64"), qPrintable(tip)); // 64·64·16·16·4
        canvas.overlay.setMetric(CostMetric::Memory);
        QVERIFY(canvas.item("conv2").overlayColor().isValid());
        canvas.overlay.setMetric(std::nullopt);
        QVERIFY(!canvas.item("conv2").overlayColor().isValid());
        QVERIFY(canvas.item("conv2").toolTip().contains("4.72 M MACs"));
    }

    void anEditIsCountedAgain()
    {
        CostCanvas canvas;
        QVERIFY(canvas.counted());
        canvas.document.push(new editor::commands::SetParameter(
            canvas.document, "conv2", "out_channels", engine::ParamValue(int64_t(128))));
        QVERIFY(canvas.counted());
        QCOMPARE(canvas.analysis.blockCost("conv2")->multiplyAccumulates, int64_t(2 * 4718592));
        QVERIFY2(canvas.item("conv2").toolTip().contains("9.44 M MACs"), qPrintable(canvas.item("conv2").toolTip()));
        // A training setting counts again too: the activations follow the batch size.
        canvas.document.push(new editor::commands::SetSetting(
            canvas.document, editor::SettingSection::Training, "batch_size", engine::ParamValue(int64_t(32))));
        QVERIFY(canvas.counted());
        QCOMPARE(canvas.analysis.blockCost("conv2")->activationBytes, int64_t(32) * 128 * 16 * 16 * 4);
        QVERIFY(canvas.item("conv2").toolTip().contains("at batch size 32"));
    }

    void aCompositeInstanceSumsItsBlocks()
    {
        tests::GroupedCanvas grouped(true, { { { "conv1", "relu1", "pool1" }, "Stem" } });
        editor::CostAnalysis analysis(grouped.document);
        QVERIFY(QTest::qWaitFor([&] { return !analysis.pending(); }, 10000));
        QString instance;
        for (const engine::Block& block : grouped.document.graph().blocks())
            if (block.type == "Stem")
                instance = QString::fromStdString(block.id);
        QVERIFY(!instance.isEmpty());
        const editor::CanvasBlockCost* stem = analysis.blockCost(instance);
        QVERIFY(stem);
        QCOMPARE(stem->parameters, int64_t(896));
        QCOMPARE(stem->multiplyAccumulates, int64_t(884736));
        // conv1 and relu1 8 MiB each, pool1 2 MiB, at batch size 64.
        QCOMPARE(stem->activationBytes, int64_t(64) * (32 * 32 * 32 * 4 * 2 + 32 * 16 * 16 * 4));
        QCOMPARE(analysis.report().cost.totalParameters(), int64_t(113738));
    }

    void anOpenCompositesBlocksHaveTheirOwnFigures()
    {
        StemCanvas canvas;
        tests::GroupedCanvas& grouped = canvas.grouped;
        editor::CostAnalysis& analysis = canvas.analysis;
        editor::CostOverlay& overlay = canvas.overlay;
        overlay.setMetric(CostMetric::MultiplyAccumulates);
        auto counted = [&] { return canvas.counted(); };
        QVERIFY(counted());
        grouped.document.openComposite("Stem");
        QVERIFY(counted());
        // The blocks inside, as the engine counts conv1, relu1 and pool1 of the classic CNN.
        const editor::CanvasBlockCost* conv1 = analysis.blockCost("conv1");
        QVERIFY(conv1);
        QCOMPARE(conv1->parameters, int64_t(896)); // 3·32·9 + 32
        QCOMPARE(conv1->multiplyAccumulates, int64_t(884736)); // 32·32·32 outputs × 27
        QCOMPARE(conv1->activationBytes, int64_t(64) * 32 * 32 * 32 * 4);
        QVERIFY(analysis.blockCost("pool1"));
        QCOMPARE(analysis.blockCost("pool1")->activationBytes, int64_t(64) * 32 * 16 * 16 * 4);
        QCOMPARE(analysis.blockCost("relu1")->parameters, int64_t(0));
        QCOMPARE(QString::fromStdString(analysis.report().scopeInstance), QString("stem1"));
        // On the canvas: tints, tooltips naming the instance, the parameter pill and the legend.
        editor::BlockItem& conv1Item = *grouped.scene.blockItem("conv1");
        QVERIFY(conv1Item.overlayColor().isValid());
        QVERIFY(
            tintStrength(conv1Item.overlayColor()) > tintStrength(grouped.scene.blockItem("relu1")->overlayColor()));
        QVERIFY2(conv1Item.toolTip().contains("884.74 k MACs"), qPrintable(conv1Item.toolTip()));
        QVERIFY2(conv1Item.toolTip().contains("in instance stem1 of Stem"), qPrintable(conv1Item.toolTip()));
        QCOMPARE(conv1Item.parameterFigure(), QString("896 params"));
        QVERIFY(overlay.legend()->isVisible());
        // Closed again: the instance sums them.
        grouped.document.closeComposite();
        QVERIFY(counted());
        QVERIFY(!analysis.blockCost("conv1"));
        QCOMPARE(analysis.blockCost("stem1")->multiplyAccumulates, int64_t(884736));
    }

    void insideACompositeTheFiguresAreTheFirstInstances_data()
    {
        QTest::addColumn<QString>("composite");
        QTest::addColumn<QString>("instance");
        QTest::addColumn<QStringList>("blocks");
        // ir2 (16 → 24, hidden 96, stride 2) is the first InvertedResidual; ir4 (hidden 144) differs.
        QTest::newRow("InvertedResidual") << "InvertedResidual"
                                          << "ir2" << QStringList { "expand", "bn1", "dw", "project", "bn3" };
        // InvertedResidualSkip's "block" is an InvertedResidual nested in ir1: it sums those blocks.
        QTest::newRow("InvertedResidualSkip") << "InvertedResidualSkip"
                                              << "ir1" << QStringList { "block", "add" };
    }

    void insideACompositeTheFiguresAreTheFirstInstances()
    {
        QFETCH(QString, composite);
        QFETCH(QString, instance);
        QFETCH(QStringList, blocks);
        const engine::Project project
            = engine::loadProjectFile(NETDRAFT_SOURCE_DIR "/projects/mobilenetv2_shapes.netdraft");
        // The reference: the engine's figures of the expanded blocks of that instance.
        const engine::NetworkCost cost = engine::costOf(
            engine::CompiledNetwork::compile(project), engine::CostOptions::fromSettings(project.training));
        auto engineFigures = [&](const QString& prefix) {
            int64_t parameters = 0, macs = 0, bytes = 0;
            for (const engine::BlockCost& block : cost.blocks) {
                const QString id = QString::fromStdString(block.id);
                if (id == prefix || id.startsWith(prefix + "__")) {
                    parameters += block.parameters();
                    macs += block.multiplyAccumulates;
                    bytes += block.activationBytes;
                }
            }
            return std::make_tuple(parameters, macs, bytes);
        };
        editor::GraphDocument document(project);
        editor::GraphScene scene(document);
        editor::CostAnalysis analysis(document);
        document.openComposite(composite);
        QVERIFY(QTest::qWaitFor([&] { return !analysis.pending(); }, 20000));
        QCOMPARE(QString::fromStdString(analysis.report().scopeInstance), instance);
        for (const QString& block : blocks) {
            const editor::CanvasBlockCost* figures = analysis.blockCost(block);
            QVERIFY2(figures, qPrintable(block));
            const auto [parameters, macs, bytes] = engineFigures(instance + "__" + block);
            QVERIFY2(bytes > 0, qPrintable(block));
            QCOMPARE(figures->parameters, parameters);
            QCOMPARE(figures->multiplyAccumulates, macs);
            QCOMPARE(figures->activationBytes, bytes);
        }
        if (composite == "InvertedResidual") // not another instance's figures
            QVERIFY(analysis.blockCost("expand")->parameters != std::get<0>(engineFigures("ir4__expand")));
    }

    void timeColoursByAProfileWhileItIsCurrent()
    {
        CostCanvas canvas;
        canvas.view.resize(800, 600);
        canvas.view.show();
        canvas.overlay.setMetric(CostMetric::Time);
        QVERIFY(canvas.counted());
        // Nothing measured: no tints, and the legend says what to do.
        QVERIFY(!canvas.item("conv2").overlayColor().isValid());
        QCOMPARE(canvas.overlay.legendText(),
            QString("Cost overlay: time per block No profile yet: Profile in the Cost panel measures each block's "
                    "time."));
        QVERIFY(!canvas.item("conv2").toolTip().contains(" ms per batch"));

        const engine::NetworkProfile profile = handMadeProfile(canvas.document.project(),
            { { "conv2", { 2.0, 6.0 } }, { "conv3", { 1.0, 2.0 } }, { "relu1", { 0.05, 0.05 } } });
        double pass = 0;
        for (const engine::BlockTiming& timing : profile.blocks)
            pass += timing.forwardMs + timing.backwardMs;
        canvas.analysis.setProfile(profile, canvas.document.project());
        QVERIFY(canvas.counted());
        QCOMPARE(canvas.analysis.report().profile, editor::ProfileState::Current);
        const editor::CanvasBlockCost* conv2 = canvas.analysis.blockCost("conv2");
        QVERIFY(conv2 && conv2->timed);
        QCOMPARE(conv2->forwardMs, 2.0);
        QCOMPARE(conv2->backwardMs, 6.0);
        QCOMPARE(editor::metricValue(*conv2, CostMetric::Time), int64_t(8000));
        QVERIFY(pass > 8.0);
        const QString share = QString::number(100 * 8.0 / pass, 'f', 1);
        QVERIFY2(canvas.item("conv2").toolTip().contains(
                     "time 8.000 ms per batch (forward 2.000 + backward 6.000), " + share + " % of the pass"),
            qPrintable(canvas.item("conv2").toolTip()));
        // Tints rank the blocks by time, whatever their MACs: conv2 (8 ms) is the largest.
        double largest = 0;
        for (const engine::BlockTiming& timing : profile.blocks)
            largest = std::max(largest, timing.forwardMs + timing.backwardMs);
        QCOMPARE(largest, 8.0);
        QCOMPARE(canvas.item("conv2").overlayColor(), editor::CostOverlay::colorFor(1.0));
        QVERIFY(tintStrength(canvas.item("conv2").overlayColor()) > tintStrength(canvas.item("conv3").overlayColor()));
        QVERIFY(tintStrength(canvas.item("conv3").overlayColor()) > tintStrength(canvas.item("relu1").overlayColor()));
        QCOMPARE(
            canvas.overlay.legendText(), QString("Cost overlay: time (ms per batch of 64 on cpu) per block 8.000 ms"));
        QVERIFY(!canvas.item("output").overlayColor().isValid());

        // An edit makes the profile stale: nothing tinted, the legend says so; undo makes it current again.
        canvas.document.push(new editor::commands::SetParameter(
            canvas.document, "conv2", "out_channels", engine::ParamValue(int64_t(128))));
        QVERIFY(canvas.counted());
        QCOMPARE(canvas.analysis.report().profile, editor::ProfileState::Stale);
        QVERIFY(!canvas.analysis.blockCost("conv2")->timed);
        QVERIFY(!canvas.item("conv2").overlayColor().isValid());
        QVERIFY(!canvas.item("conv2").toolTip().contains(" ms per batch"));
        QVERIFY2(canvas.overlay.legendText().contains("The profile is out of date"),
            qPrintable(canvas.overlay.legendText()));
        canvas.document.undoStack()->undo();
        QVERIFY(canvas.counted());
        QCOMPARE(canvas.analysis.report().profile, editor::ProfileState::Current);
        QCOMPARE(canvas.item("conv2").overlayColor(), editor::CostOverlay::colorFor(1.0));
        // So does another batch size (the time per batch depends on it).
        canvas.document.push(new editor::commands::SetSetting(
            canvas.document, editor::SettingSection::Training, "batch_size", engine::ParamValue(int64_t(32))));
        QVERIFY(canvas.counted());
        QCOMPARE(canvas.analysis.report().profile, editor::ProfileState::Stale);
        // The other metrics are not affected.
        canvas.overlay.setMetric(CostMetric::MultiplyAccumulates);
        QVERIFY(canvas.item("conv2").overlayColor().isValid());
    }

    void timeInsideAnOpenCompositeIsTheFirstInstances()
    {
        StemCanvas canvas;
        tests::GroupedCanvas& grouped = canvas.grouped;
        editor::CostAnalysis& analysis = canvas.analysis;
        editor::CostOverlay& overlay = canvas.overlay;
        overlay.setMetric(CostMetric::Time);
        auto counted = [&] { return canvas.counted(); };
        QVERIFY(counted());
        const engine::NetworkProfile profile = handMadeProfile(grouped.document.project());
        analysis.setProfile(profile, grouped.document.project());
        QVERIFY(counted());
        // Closed, the instance sums its blocks' times.
        QVERIFY(analysis.blockCost("stem1") && analysis.blockCost("stem1")->timed);
        QCOMPARE(analysis.blockCost("stem1")->timeMs(), timeOf(profile, "stem1"));
        QVERIFY(timeOf(profile, "stem1") > timeOf(profile, "stem1__conv1"));
        grouped.document.openComposite("Stem");
        QVERIFY(counted());
        for (const char* inner : { "conv1", "relu1", "pool1" }) {
            const editor::CanvasBlockCost* figures = analysis.blockCost(inner);
            QVERIFY2(figures && figures->timed, inner);
            QCOMPARE(figures->timeMs(), timeOf(profile, std::string("stem1__") + inner));
        }
        // pool1 runs last of the three, so the hand-made profile gives it the most time.
        QCOMPARE(grouped.scene.blockItem("pool1")->overlayColor(), editor::CostOverlay::colorFor(1.0));
        QVERIFY(tintStrength(grouped.scene.blockItem("pool1")->overlayColor())
            > tintStrength(grouped.scene.blockItem("conv1")->overlayColor()));
        QVERIFY2(overlay.legendText().startsWith("Cost overlay: time (ms per batch of 64 on cpu) per block in stem1 "),
            qPrintable(overlay.legendText()));
        QVERIFY(grouped.scene.blockItem("conv1")->toolTip().contains("in instance stem1 of Stem"));
    }
};

NETDRAFT_TEST(CostOverlayTest);
#include "CostOverlayTest.moc"
