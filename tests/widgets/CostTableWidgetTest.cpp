// The Cost panel (widgets/editing/CostTableWidget) and the inspector's cost line: the totals row
// equals the engine's count, sorting by a figure orders the rows by it and keeps the totals last,
// clicking a row selects its block on the canvas, and the memory-fit line says whether training fits.

#include "widgets/editing/CostTableWidget.h"
#include "editor/CostAnalysis.h"
#include "editor/GraphScene.h"
#include "engine/insight/NetworkCost.h"
#include "engine/network/CompiledNetwork.h"
#include "engine/project/Project.h"
#include "editor/commands/RenameBlock.h"
#include "editor/commands/SetSetting.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/editing/InspectorWidget.h"

#include <QHeaderView>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace netdraft;
using widgets::CostTableWidget;

namespace {

struct CostPanel {
    editor::GraphDocument document { tests::classicCnnProject(true) };
    editor::CostAnalysis analysis { document };
    CostTableWidget table { analysis };

    bool counted()
    {
        return QTest::qWaitFor([this] { return !analysis.pending() && table.rowCount() > 0; }, 10000);
    }
    int rowOf(const QString& id) const
    {
        for (int row = 0; row < table.rowCount(); ++row)
            if (table.cellText(row, CostTableWidget::Block) == id)
                return row;
        return -1;
    }
};

} // namespace

class CostTableWidgetTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void totalsEqualTheEngine()
    {
        CostPanel panel;
        QVERIFY(panel.counted());
        engine::Project project = tests::classicCnnProject(true);
        const engine::NetworkCost cost = engine::costOf(
            engine::CompiledNetwork::compile(project), engine::CostOptions::fromSettings(project.training));
        const int totals = panel.table.rowCount() - 1;
        QCOMPARE(panel.table.rowCount(), int(cost.blocks.size()) + 1);
        QCOMPARE(panel.table.cellText(totals, CostTableWidget::Block), QString("Total"));
        QCOMPARE(panel.table.cellValue(totals, CostTableWidget::Parameters), qint64(cost.totalParameters()));
        QCOMPARE(panel.table.cellValue(totals, CostTableWidget::MultiplyAccumulates),
            qint64(cost.totalMultiplyAccumulates()));
        QCOMPARE(panel.table.cellValue(totals, CostTableWidget::Memory), qint64(cost.memory.activationBytes()));
        QCOMPARE(panel.table.cellValue(totals, CostTableWidget::Parameters), qint64(113738));
        QCOMPARE(panel.table.cellText(totals, CostTableWidget::MultiplyAccumulates), QString("10.34 M"));
        const int conv1 = panel.rowOf("conv1");
        QCOMPARE(panel.table.cellText(conv1, CostTableWidget::OutputShape), QString("N\u00d732\u00d732\u00d732"));
        QCOMPARE(panel.table.cellValue(conv1, CostTableWidget::MultiplyAccumulates), qint64(884736));
    }

    void sortingKeepsTheTotalsLast_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("order");
        for (int column : { int(CostTableWidget::Parameters), int(CostTableWidget::MultiplyAccumulates),
                 int(CostTableWidget::Memory) })
            for (Qt::SortOrder order : { Qt::AscendingOrder, Qt::DescendingOrder })
                QTest::addRow("column %d %s", column, order == Qt::AscendingOrder ? "up" : "down")
                    << column << int(order);
    }

    void sortingKeepsTheTotalsLast()
    {
        QFETCH(int, column);
        QFETCH(int, order);
        CostPanel panel;
        QVERIFY(panel.counted());
        panel.table.show();
        // Through the header, as a user sorts.
        QHeaderView* header = panel.table.table()->horizontalHeader();
        header->setSortIndicator(column, Qt::SortOrder(order));
        const int last = panel.table.rowCount() - 1;
        QCOMPARE(panel.table.cellText(last, CostTableWidget::Block), QString("Total"));
        for (int row = 1; row < last; ++row) {
            const qint64 before = panel.table.cellValue(row - 1, column);
            const qint64 here = panel.table.cellValue(row, column);
            QVERIFY2(order == Qt::AscendingOrder ? before <= here : before >= here,
                qPrintable(QString("row %1: %2 then %3").arg(row).arg(before).arg(here)));
        }
        if (column == CostTableWidget::MultiplyAccumulates && order == Qt::DescendingOrder)
            QVERIFY(panel.table.cellText(0, CostTableWidget::Block).startsWith("conv")); // conv2 or conv3
        header->setSortIndicator(CostTableWidget::Block, Qt::AscendingOrder); // execution order again
        QCOMPARE(panel.table.cellText(0, CostTableWidget::Block), QString("input"));
        QCOMPARE(panel.table.cellText(1, CostTableWidget::Block), QString("conv1"));
    }

    void profileAddsTimeColumns()
    {
        CostPanel panel;
        QVERIFY(panel.counted());
        QVERIFY(panel.table.table()->isColumnHidden(CostTableWidget::ForwardTime)); // nothing measured yet
        QVERIFY(panel.table.table()->isColumnHidden(CostTableWidget::BackwardTime));
        panel.document.push(new editor::commands::SetSetting(
            panel.document, editor::SettingSection::Training, "batch_size", engine::ParamValue(int64_t(8))));
        QSignalSpy profiled(&panel.table, &CostTableWidget::profiled);
        auto* button = panel.table.findChild<QPushButton*>(QStringLiteral("profileButton"));
        QVERIFY(button);
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(!button->isEnabled()); // one profile at a time
        QVERIFY(profiled.wait(60000));
        QCOMPARE(profiled.front().front().toString(), QString());
        QVERIFY(button->isEnabled());
        QVERIFY(!panel.table.table()->isColumnHidden(CostTableWidget::ForwardTime));
        QVERIFY(!panel.table.table()->isColumnHidden(CostTableWidget::BackwardTime));
        const engine::NetworkProfile& profile = *panel.table.measuredProfile();
        const int totals = panel.table.rowCount() - 1;
        for (int row = 0; row < totals; ++row) {
            const QString id = panel.table.cellText(row, CostTableWidget::Block);
            // Each row shows the engine's figure for its block, in ms with three decimals. A block that
            // only hands its batch on (the input, a flatten) may take under half a microsecond, shown
            // as 0; one that multiplies (conv, linear) takes longer.
            const engine::BlockTiming* timing = profile.find(id.toStdString());
            QVERIFY2(timing, qPrintable(id));
            QCOMPARE(panel.table.cellValue(row, CostTableWidget::ForwardTime), qRound64(timing->forwardMs * 1000));
            QCOMPARE(panel.table.cellValue(row, CostTableWidget::BackwardTime), qRound64(timing->backwardMs * 1000));
            QVERIFY2(panel.table.cellText(row, CostTableWidget::ForwardTime).contains('.'), qPrintable(id));
            if (panel.table.cellValue(row, CostTableWidget::MultiplyAccumulates) == 0)
                continue;
            QVERIFY2(panel.table.cellValue(row, CostTableWidget::ForwardTime) > 0, qPrintable(id));
            QVERIFY2(panel.table.cellValue(row, CostTableWidget::BackwardTime) > 0, qPrintable(id));
        }
        QCOMPARE(panel.table.cellValue(totals, CostTableWidget::ForwardTime), qRound64(profile.forwardMs * 1000));
        QCOMPARE(panel.table.cellValue(totals, CostTableWidget::BackwardTime), qRound64(profile.backwardMs * 1000));

        // The analysis holds the times too (the canvas's Time overlay), per block as measured, while the
        // design and batch size are those profiled.
        QTRY_VERIFY_WITH_TIMEOUT(!panel.analysis.pending(), 10000);
        QCOMPARE(panel.analysis.report().profile, editor::ProfileState::Current);
        for (const char* id : { "conv1", "conv2", "fc" }) {
            const editor::CanvasBlockCost* figures = panel.analysis.blockCost(id);
            QVERIFY2(figures && figures->timed, id);
            QCOMPARE(figures->forwardMs, profile.find(id)->forwardMs);
            QCOMPARE(figures->backwardMs, profile.find(id)->backwardMs);
        }
        panel.document.push(new editor::commands::SetSetting(
            panel.document, editor::SettingSection::Training, "batch_size", engine::ParamValue(int64_t(16))));
        QTRY_VERIFY_WITH_TIMEOUT(!panel.analysis.pending(), 10000);
        QCOMPARE(panel.analysis.report().profile, editor::ProfileState::Stale);
        QVERIFY(!panel.analysis.blockCost("conv2")->timed);
        // The panel keeps the times as measured, and its headers say they no longer hold.
        auto header = [&](int column) { return panel.table.table()->model()->headerData(column, Qt::Horizontal); };
        QCOMPARE(header(CostTableWidget::ForwardTime).toString(), QString("Forward ms (out of date)"));
        QCOMPARE(header(CostTableWidget::BackwardTime).toString(), QString("Backward ms (out of date)"));
        panel.document.push(new editor::commands::SetSetting(
            panel.document, editor::SettingSection::Training, "batch_size", engine::ParamValue(int64_t(8))));
        QTRY_VERIFY_WITH_TIMEOUT(!panel.analysis.pending(), 10000); // the batch size profiled: current again
        QCOMPARE(header(CostTableWidget::ForwardTime).toString(), QString("Forward ms"));
    }

    // Issue 16 item 9: the table names blocks as the canvas does.
    void rowsShowDisplayNames()
    {
        CostPanel panel;
        QVERIFY(panel.counted());
        const int conv2 = panel.rowOf("conv2");
        QVERIFY(conv2 >= 0);
        panel.document.push(new editor::commands::RenameBlock(panel.document, "conv2", "features2"));
        QTRY_COMPARE(panel.table.cellText(conv2, CostTableWidget::Block), QString("features2"));
        QCOMPARE(panel.rowOf("conv2"), -1);
        QCOMPARE(panel.rowOf("conv1"), conv2 - 3); // unnamed blocks keep their ids
    }

    void clickingARowSelectsTheBlock()
    {
        CostPanel panel;
        editor::GraphScene scene(panel.document);
        QObject::connect(&panel.table, &CostTableWidget::blockActivated, &scene,
            [&scene](const QString& id) { scene.selectBlocks({ id }); });
        QVERIFY(panel.counted());
        panel.table.resize(700, 500);
        panel.table.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel.table));
        panel.table.table()->sortByColumn(CostTableWidget::MultiplyAccumulates, Qt::AscendingOrder);
        const int row = panel.rowOf("fc");
        QTableView* view = panel.table.table();
        const QRect cell = view->visualRect(view->model()->index(row, CostTableWidget::Type));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(scene.selectedBlockIds(), QStringList { "fc" });
    }

    void memoryFitLineAndInspector()
    {
        CostPanel panel;
        QVERIFY(panel.counted());
        const QString fit = panel.table.memoryFitText();
        // 113,738 weights × 4 bytes × 3 (weights, gradients, SGD momentum) + 64 × 536,616 activation bytes.
        QVERIFY2(fit.startsWith("Training memory at batch size 64 (sgd, fp32): 34.1 MiB — fits in "), qPrintable(fit));
        QVERIFY2(fit.contains(" of cpu; the largest batch size that fits is "), qPrintable(fit));

        widgets::InspectorWidget inspector(panel.document);
        inspector.setCostAnalysis(&panel.analysis);
        inspector.showBlock("conv1");
        QVERIFY2(inspector.costText().contains("<b>896</b> parameters"), qPrintable(inspector.costText()));
        QVERIFY(inspector.costText().contains("<b>884.74 k</b> MACs"));
        inspector.showBlock("output"); // not counted: no line
        QCOMPARE(inspector.costText(), QString());
    }
};

NETDRAFT_TEST(CostTableWidgetTest);
#include "CostTableWidgetTest.moc"
