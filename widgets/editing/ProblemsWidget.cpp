#include "widgets/editing/ProblemsWidget.h"

#include <QApplication>
#include <QLabel>
#include <QListWidget>
#include <QStyle>
#include <QVBoxLayout>

namespace netdraft::widgets {

ProblemsWidget::ProblemsWidget(editor::GraphDocument& document, QWidget* parent)
    : QWidget(parent)
    , document_(document)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    summary_ = new QLabel(this);
    summary_->setContentsMargins(8, 4, 8, 4);
    list_ = new QListWidget(this);
    list_->setWordWrap(true);
    list_->setTextElideMode(Qt::ElideNone);
    list_->setFrameShape(QFrame::NoFrame);
    list_->setSpacing(2);
    layout->addWidget(summary_);
    layout->addWidget(list_);
    auto activate = [this](QListWidgetItem* item) {
        const QString id = item->data(Qt::UserRole).toString();
        if (!id.isEmpty())
            Q_EMIT blockActivated(id);
    };
    connect(list_, &QListWidget::itemClicked, this, activate);
    connect(list_, &QListWidget::itemActivated, this, activate);
    connect(&document_, &editor::GraphDocument::inferenceUpdated, this, &ProblemsWidget::refresh);
    refresh();
}

QString ProblemsWidget::summary() const
{
    return summary_->text();
}

void ProblemsWidget::refresh()
{
    list_->clear();
    int errors = 0, warnings = 0;
    const QIcon errorIcon = style()->standardIcon(QStyle::SP_MessageBoxCritical);
    const QIcon warningIcon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (const engine::Problem& problem : document_.latestInference().problems()) {
        const QString where
            = problem.blockId.empty() ? QString::fromStdString(problem.where) : QString::fromStdString(problem.blockId);
        auto* item = new QListWidgetItem(problem.isError() ? errorIcon : warningIcon,
            where + QStringLiteral(": ") + QString::fromStdString(problem.message), list_);
        item->setData(Qt::UserRole, QString::fromStdString(problem.blockId));
        item->setToolTip(QString::fromStdString(problem.toString()));
        (problem.isError() ? errors : warnings) += 1;
    }
    QStringList parts;
    if (errors)
        parts << (errors == 1 ? tr("1 error") : tr("%1 errors").arg(errors));
    if (warnings)
        parts << (warnings == 1 ? tr("1 warning") : tr("%1 warnings").arg(warnings));
    summary_->setText(parts.isEmpty() ? tr("No problems") : parts.join(QStringLiteral(", ")));
    summary_->setStyleSheet(errors ? "color: #B91C1C; font-weight: bold;" : "color: #15803D;");
}

} // namespace netdraft::widgets
