#include "widgets/editing/ProblemsWidget.h"

#include "editor/CostAnalysis.h"
#include "editor/FailureMark.h"

#include <QApplication>
#include <QColor>
#include <QLabel>
#include <QListWidget>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>

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
    connect(
        &document_, &editor::GraphDocument::blockChanged, this, &ProblemsWidget::refresh); // a rename infers nothing
    refresh();
}

void ProblemsWidget::setCostAnalysis(editor::CostAnalysis* analysis)
{
    if (costAnalysis_)
        disconnect(costAnalysis_, nullptr, this, nullptr);
    costAnalysis_ = analysis;
    if (analysis)
        connect(analysis, &editor::CostAnalysis::updated, this, &ProblemsWidget::refresh);
    refresh();
}

void ProblemsWidget::setFailureMark(editor::FailureMark* mark)
{
    if (failureMark_)
        disconnect(failureMark_, nullptr, this, nullptr);
    failureMark_ = mark;
    if (mark)
        connect(mark, &editor::FailureMark::changed, this, &ProblemsWidget::refresh);
    refresh();
}

QString ProblemsWidget::summary() const
{
    return summary_->text();
}

QString ProblemsWidget::blockName(const std::string& id, bool withId) const
{
    const engine::Graph& graph = document_.graph();
    const engine::Block* block = graph.findBlock(id);
    if (!block)
        return QString::fromStdString(id);
    // The name the canvas shows; the id only tells apart blocks that show the same name.
    const std::string& shown = block->displayName();
    const bool ambiguous = std::count_if(graph.blocks().begin(), graph.blocks().end(), [&](const engine::Block& other) {
        return other.displayName() == shown;
    }) > 1;
    return QString::fromStdString((ambiguous || withId) && shown != id ? shown + " (" + id + ")" : shown);
}

void ProblemsWidget::refresh()
{
    list_->clear();
    int errors = 0, warnings = 0;
    const QIcon errorIcon = style()->standardIcon(QStyle::SP_MessageBoxCritical);
    const QIcon warningIcon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    std::vector<engine::Problem> problems = document_.latestInference().problems();
    if (costAnalysis_)
        for (const engine::Block& block : document_.graph().blocks())
            if (const editor::CanvasBlockCost* cost = costAnalysis_->blockCost(QString::fromStdString(block.id)))
                for (const std::string& message : cost->warnings)
                    problems.push_back({ "block " + block.id, message, block.id, engine::Problem::Severity::Warning });
    int failures = 0;
    if (failureMark_ && !failureMark_->markedBlock().isEmpty()) {
        const QString id = failureMark_->markedBlock();
        auto* item = new QListWidgetItem(style()->standardIcon(QStyle::SP_BrowserStop),
            blockName(id.toStdString()) + QStringLiteral(": ") + failureMark_->text(), list_);
        item->setData(Qt::UserRole, id);
        item->setData(Qt::UserRole + 1, QStringLiteral("failure"));
        item->setForeground(QColor(0x7F, 0x1D, 0x1D));
        item->setToolTip(QStringLiteral("block %1: %2").arg(blockName(id.toStdString(), true), failureMark_->text()));
        failures = 1;
    }
    for (const engine::Problem& problem : problems) {
        const QString where
            = problem.blockId.empty() ? QString::fromStdString(problem.where) : blockName(problem.blockId);
        auto* item = new QListWidgetItem(problem.isError() ? errorIcon : warningIcon,
            where + QStringLiteral(": ") + QString::fromStdString(problem.message), list_);
        item->setData(Qt::UserRole, QString::fromStdString(problem.blockId));
        // The tooltip names the block fully, by the id too where it differs: "block features2 (conv2d2)".
        item->setToolTip(problem.blockId.empty()
                ? QString::fromStdString(problem.toString())
                : QStringLiteral("block %1: %2")
                      .arg(blockName(problem.blockId, true), QString::fromStdString(problem.message)));
        (problem.isError() ? errors : warnings) += 1;
    }
    QStringList parts;
    if (failures)
        parts << tr("1 failed run");
    if (errors)
        parts << (errors == 1 ? tr("1 error") : tr("%1 errors").arg(errors));
    if (warnings)
        parts << (warnings == 1 ? tr("1 warning") : tr("%1 warnings").arg(warnings));
    summary_->setText(parts.isEmpty() ? tr("No problems") : parts.join(QStringLiteral(", ")));
    summary_->setStyleSheet(errors || failures ? "color: #B91C1C; font-weight: bold;" : "color: #15803D;");
}

} // namespace netdraft::widgets
