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
}

void RunHistoryWidget::setRuns(const std::vector<RunRecord>& runs, const QString& currentGraphHash)
{
    const QSignalBlocker blocker(tree_);
    tree_->clear();
    for (auto run = runs.rbegin(); run != runs.rend(); ++run) {
        const QJsonObject training = run->settings["training"].toObject();
        auto* item = new QTreeWidgetItem(tree_);
        item->setData(0, Qt::UserRole, run->number);
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

int RunHistoryWidget::runCount() const
{
    return tree_->topLevelItemCount();
}

} // namespace netdraft::widgets
