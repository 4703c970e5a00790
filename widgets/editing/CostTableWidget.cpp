#include "widgets/editing/CostTableWidget.h"

#include "engine/network/CompiledNetwork.h"
#include "widgets/BackgroundTask.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace netdraft::widgets {
namespace {

constexpr int kSortRole = Qt::UserRole;
constexpr int kTotalsRole = Qt::UserRole + 1;
constexpr int kCanvasBlockRole = Qt::UserRole + 2;

/// Sorts by the numbers behind the cells and keeps the totals row last in either order.
class CostSortModel : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override
    {
        const bool leftTotals = left.data(kTotalsRole).toBool();
        const bool rightTotals = right.data(kTotalsRole).toBool();
        if (leftTotals || rightTotals) // Qt reverses the comparison for a descending sort
            return sortOrder() == Qt::AscendingOrder ? rightTotals && !leftTotals : leftTotals && !rightTotals;
        return QSortFilterProxyModel::lessThan(left, right);
    }
};

QStandardItem* textItem(const QString& text)
{
    auto* item = new QStandardItem(text);
    item->setData(text, kSortRole);
    item->setEditable(false);
    return item;
}

QStandardItem* figureItem(qint64 value, const QString& text)
{
    auto* item = new QStandardItem(text);
    item->setData(value, kSortRole);
    item->setData(QVariant::fromValue(value), Qt::ToolTipRole);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    item->setEditable(false);
    return item;
}

/// A measured time in ms, sorted by whole microseconds; "–" for a block the profile does not hold.
QStandardItem* timeItem(const engine::BlockTiming* timing, double engine::BlockTiming::*member)
{
    if (!timing)
        return figureItem(-1, QStringLiteral("–"));
    const double milliseconds = timing->*member;
    return figureItem(qRound64(milliseconds * 1000), QString::number(milliseconds, 'f', 3));
}

} // namespace

CostTableWidget::CostTableWidget(editor::CostAnalysis& analysis, QWidget* parent)
    : QWidget(parent)
    , analysis_(analysis)
    , memoryFit_(new QLabel(this))
    , model_(new QStandardItemModel(0, ColumnCount, this))
    , sorted_(new CostSortModel(this))
    , table_(new QTableView(this))
    , profileButton_(new QPushButton(tr("Profile"), this))
{
    setObjectName(QStringLiteral("costTable"));
    memoryFit_->setObjectName(QStringLiteral("memoryFit"));
    memoryFit_->setWordWrap(true);
    memoryFit_->setContentsMargins(6, 4, 6, 4);
    model_->setHorizontalHeaderLabels({ tr("Block"), tr("Type"), tr("Output shape"), tr("Parameters"), tr("MACs"),
        tr("Memory"), tr("Forward ms"), tr("Backward ms") });
    profileButton_->setObjectName(QStringLiteral("profileButton"));
    profileButton_->setToolTip(tr("Measure each block's forward and backward time on the training device at the "
                                  "batch size (a few batches after warm-up)"));
    connect(profileButton_, &QPushButton::clicked, this, &CostTableWidget::profile);
    sorted_->setSourceModel(model_);
    sorted_->setSortRole(kSortRole);
    table_->setModel(sorted_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(-1, Qt::AscendingOrder); // execution order until a header is clicked
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setAlternatingRowColors(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto* header = new QHBoxLayout;
    header->addWidget(memoryFit_, 1);
    header->addWidget(profileButton_);
    layout->addLayout(header);
    layout->addWidget(table_, 1);
    connect(table_, &QTableView::clicked, this, &CostTableWidget::activate);
    connect(&analysis_, &editor::CostAnalysis::updated, this, &CostTableWidget::refresh);
    // A rename counts nothing again; the table shows the new name anyway.
    connect(&analysis_.document(), &editor::GraphDocument::blockChanged, this, &CostTableWidget::refresh);
    refresh();
}

CostTableWidget::~CostTableWidget()
{
    if (profiling_)
        profiling_->wait();
}

void CostTableWidget::profile()
{
    if (profiling_)
        return;
    const engine::Project project = analysis_.document().project();
    engine::ProfileOptions options;
    options.batchSize = project.training.batchSize;
    options.device = project.training.device;
    options.seed = static_cast<uint64_t>(project.training.seed);
    profileButton_->setEnabled(false);
    profileButton_->setText(tr("Profiling…"));
    profiling_ = startBackgroundTask<engine::NetworkProfile>(
        this, [project, options] { return engine::profileNetwork(engine::CompiledNetwork::compile(project), options); },
        [this, project](std::optional<engine::NetworkProfile> result, QString error) {
            profiling_->wait();
            profiling_ = nullptr;
            profileButton_->setEnabled(true);
            profileButton_->setText(tr("Profile"));
            if (result) {
                profile_ = std::move(result);
                analysis_.setProfile(*profile_, project); // the canvas's Time overlay
            }
            refresh();
            if (!error.isEmpty())
                memoryFit_->setText(memoryFit_->text() + "\n" + tr("Profile failed: %1").arg(error));
            Q_EMIT profiled(error);
        });
}

QString CostTableWidget::shownName(const std::string& id, const std::string& canvasId) const
{
    // The canvas block's display name; a block inside a composite keeps its inner id after the
    // instance's name ("encoder__conv").
    const engine::Block* shown = analysis_.document().project().graph.findBlock(canvasId);
    if (!shown || shown->name.empty() || id.compare(0, canvasId.size(), canvasId) != 0)
        return QString::fromStdString(id);
    return QString::fromStdString(shown->name + id.substr(canvasId.size()));
}

void CostTableWidget::refresh()
{
    const editor::CostReport& report = analysis_.report();
    memoryFit_->setText(editor::memoryFitText(report));
    model_->removeRows(0, model_->rowCount());
    table_->setColumnHidden(ForwardTime, !profile_);
    table_->setColumnHidden(BackwardTime, !profile_);
    // The times stay after an edit, as measured; the headers say when they no longer hold.
    const bool stale = profile_ && report.profile == editor::ProfileState::Stale;
    model_->setHeaderData(ForwardTime, Qt::Horizontal, stale ? tr("Forward ms (out of date)") : tr("Forward ms"));
    model_->setHeaderData(BackwardTime, Qt::Horizontal, stale ? tr("Backward ms (out of date)") : tr("Backward ms"));
    if (!report.counted())
        return;
    using editor::CostMetric;
    using editor::formatMetric;
    int order = 0;
    for (const engine::BlockCost& block : report.cost.blocks) {
        const auto canvas = report.canvasBlockOf.find(block.id);
        const QString id = shownName(block.id, canvas == report.canvasBlockOf.end() ? block.id : canvas->second);
        QList<QStandardItem*> row { textItem(block.frozen ? tr("%1 (frozen)").arg(id) : id),
            textItem(QString::fromStdString(block.type)), textItem(QString::fromStdString(block.output.toString())),
            figureItem(block.parameters(), formatMetric(block.parameters(), CostMetric::Parameters)),
            figureItem(
                block.multiplyAccumulates, formatMetric(block.multiplyAccumulates, CostMetric::MultiplyAccumulates)),
            figureItem(block.activationBytes, formatMetric(block.activationBytes, CostMetric::Memory)) };
        const engine::BlockTiming* timing = profile_ ? profile_->find(block.id) : nullptr;
        row << timeItem(timing, &engine::BlockTiming::forwardMs) << timeItem(timing, &engine::BlockTiming::backwardMs);
        if (id.toStdString() != block.id)
            row[Block]->setToolTip(QStringLiteral("%1 (%2)").arg(id, QString::fromStdString(block.id)));
        row[Block]->setData(
            QString::fromStdString(canvas == report.canvasBlockOf.end() ? block.id : canvas->second), kCanvasBlockRole);
        row[Block]->setData(order++, kSortRole); // sorting by Block restores execution order
        model_->appendRow(row);
    }
    const engine::NetworkCost& cost = report.cost;
    QList<QStandardItem*> totals { textItem(tr("Total")), textItem(QString()), textItem(QString()),
        figureItem(cost.totalParameters(), formatMetric(cost.totalParameters(), CostMetric::Parameters)),
        figureItem(cost.totalMultiplyAccumulates(),
            formatMetric(cost.totalMultiplyAccumulates(), CostMetric::MultiplyAccumulates)),
        figureItem(cost.memory.activationBytes(), formatMetric(cost.memory.activationBytes(), CostMetric::Memory)) };
    engine::BlockTiming whole; // the whole passes, as measured without the per-block synchronisation
    if (profile_) {
        whole.forwardMs = profile_->forwardMs;
        whole.backwardMs = profile_->backwardMs;
    }
    totals << timeItem(profile_ ? &whole : nullptr, &engine::BlockTiming::forwardMs)
           << timeItem(profile_ ? &whole : nullptr, &engine::BlockTiming::backwardMs);
    for (QStandardItem* item : totals) {
        item->setData(true, kTotalsRole);
        QFont bold = item->font();
        bold.setBold(true);
        item->setFont(bold);
    }
    model_->appendRow(totals);
    table_->resizeColumnsToContents();
}

void CostTableWidget::activate(const QModelIndex& index)
{
    const QModelIndex first = index.sibling(index.row(), Block);
    const QString id = first.data(kCanvasBlockRole).toString();
    if (!id.isEmpty())
        Q_EMIT blockActivated(id);
}

QString CostTableWidget::memoryFitText() const
{
    return memoryFit_->text();
}

QString CostTableWidget::cellText(int row, int column) const
{
    return sorted_->index(row, column).data(Qt::DisplayRole).toString();
}

qint64 CostTableWidget::cellValue(int row, int column) const
{
    return sorted_->index(row, column).data(kSortRole).toLongLong();
}

int CostTableWidget::rowCount() const
{
    return sorted_->rowCount();
}

} // namespace netdraft::widgets
