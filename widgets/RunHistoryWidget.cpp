#include "widgets/RunHistoryWidget.h"

#include <QHeaderView>
#include <QJsonObject>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace netdraft::widgets {

RunHistoryWidget::RunHistoryWidget(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    tree_ = new QTreeWidget(this);
    tree_->setObjectName(QStringLiteral("runHistory"));
    tree_->setRootIsDecorated(false);
    tree_->setHeaderLabels(
        { tr("Run"), tr("Started"), tr("Epochs"), tr("Result"), tr("Test accuracy"), tr("Optimizer"), tr("Design") });
    tree_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    layout->addWidget(tree_);
    connect(tree_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (item)
            Q_EMIT runSelected(item->data(0, Qt::UserRole).toInt());
    });
    connect(tree_, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem*, int column) {
        if (column == 0)
            Q_EMIT comparisonChanged(comparedRuns());
    });
}

void RunHistoryWidget::setRuns(const std::vector<RunRecord>& runs, const QString& currentGraphHash)
{
    const QList<int> compared = comparedRuns();
    const QSignalBlocker blocker(tree_);
    tree_->clear();
    for (auto run = runs.rbegin(); run != runs.rend(); ++run) {
        const QJsonObject training = run->settings["training"].toObject();
        auto* item = new QTreeWidgetItem(tree_);
        item->setData(0, Qt::UserRole, run->number);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(0, compared.contains(run->number) ? Qt::Checked : Qt::Unchecked);
        item->setToolTip(0, tr("Tick to overlay this run's validation curves in the plots"));
        item->setText(0, QString::number(run->number));
        item->setText(1, run->started.toString(QStringLiteral("yyyy-MM-dd HH:mm")));
        item->setText(2, QString::number(run->epochsCompleted));
        item->setText(3, run->stopReason);
        item->setToolTip(3, run->message);
        item->setText(4, run->testAccuracy ? QString::number(*run->testAccuracy * 100, 'f', 1) + " %" : QString());
        item->setText(5,
            QStringLiteral("%1, lr %2")
                .arg(training["optimizer"].toString())
                .arg(training["learning_rate"].toDouble()));
        const bool sameDesign = run->graphHash == currentGraphHash;
        item->setText(6, sameDesign ? tr("current") : tr("changed since"));
        item->setToolTip(6, tr("Graph fingerprint %1").arg(run->graphHash));
    }
}

QList<int> RunHistoryWidget::comparedRuns() const
{
    QList<int> numbers;
    for (int i = tree_->topLevelItemCount() - 1; i >= 0; --i) // the tree lists the newest first
        if (tree_->topLevelItem(i)->checkState(0) == Qt::Checked)
            numbers << tree_->topLevelItem(i)->data(0, Qt::UserRole).toInt();
    return numbers;
}

void RunHistoryWidget::setCompared(int number, bool compared)
{
    for (int i = 0; i < tree_->topLevelItemCount(); ++i)
        if (tree_->topLevelItem(i)->data(0, Qt::UserRole).toInt() == number)
            tree_->topLevelItem(i)->setCheckState(0, compared ? Qt::Checked : Qt::Unchecked);
}

} // namespace netdraft::widgets
