#include "widgets/ConfusionMatrixWidget.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace netdraft::widgets {

ConfusionMatrixWidget::ConfusionMatrixWidget(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("confusionMatrix"));
    setMouseTracking(true);
}

void ConfusionMatrixWidget::setMatrix(std::vector<std::vector<int64_t>> counts, QStringList classNames)
{
    counts_ = std::move(counts);
    classNames_ = std::move(classNames);
    while (classNames_.size() < int(counts_.size()))
        classNames_ << QString::number(classNames_.size());
    updateGeometry();
    update();
}

QSize ConfusionMatrixWidget::sizeHint() const
{
    return { 360, 300 };
}
QSize ConfusionMatrixWidget::minimumSizeHint() const
{
    return { 160, 120 };
}

int ConfusionMatrixWidget::labelWidth() const
{
    int width = 0;
    for (const QString& name : classNames_)
        width = std::max(width, fontMetrics().horizontalAdvance(name + QStringLiteral("  00")));
    return std::min(width + 8, this->width() / 3);
}

QRect ConfusionMatrixWidget::gridRect() const
{
    const int top = fontMetrics().height() * 2 + 4;
    const int left = labelWidth() + fontMetrics().height() + 4;
    const int side = std::max(0, std::min(width() - left - 4, height() - top - 4));
    return { left, top, side, side };
}

void ConfusionMatrixWidget::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette colors = palette();
    if (counts_.empty()) {
        painter.setPen(colors.color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
            tr("The confusion matrix of the test split "
               "appears when a run ends."));
        return;
    }
    const QRect grid = gridRect();
    const int n = int(counts_.size());
    const double cell = double(grid.width()) / n;
    const QColor accent = colors.color(QPalette::Highlight);
    painter.setPen(colors.color(QPalette::Text));
    painter.drawText(
        QRect(grid.left(), 0, grid.width(), fontMetrics().height()), Qt::AlignCenter, tr("predicted class"));
    painter.save();
    painter.translate(fontMetrics().height(), grid.center().y());
    painter.rotate(-90);
    painter.drawText(QRect(-grid.height() / 2, -fontMetrics().height(), grid.height(), fontMetrics().height()),
        Qt::AlignCenter, tr("true class"));
    painter.restore();
    QFont small = font();
    if (cell < fontMetrics().height() * 1.6)
        small.setPointSizeF(std::max(5.0, font().pointSizeF() * cell / (fontMetrics().height() * 1.6)));
    bool namesFit = true;
    for (const QString& name : classNames_)
        namesFit = namesFit && fontMetrics().horizontalAdvance(name) + 4 <= cell;
    for (int row = 0; row < n; ++row) {
        int64_t rowTotal = 0;
        for (int64_t count : counts_[row])
            rowTotal += count;
        const QRectF label(0, grid.top() + row * cell, labelWidth() + fontMetrics().height(), cell);
        painter.setFont(small);
        painter.setPen(colors.color(QPalette::Text));
        // Column headers are the class names when they fit, else the class numbers, which the rows then show.
        painter.drawText(label.adjusted(0, 0, -4, 0), Qt::AlignRight | Qt::AlignVCenter,
            namesFit ? classNames_[row] : QStringLiteral("%1  %2").arg(classNames_[row]).arg(row));
        painter.drawText(QRectF(grid.left() + row * cell, fontMetrics().height() + 2, cell, fontMetrics().height()),
            Qt::AlignCenter, namesFit ? classNames_[row] : QString::number(row));
        for (int column = 0; column < n && column < int(counts_[row].size()); ++column) {
            const double share = rowTotal > 0 ? double(counts_[row][column]) / rowTotal : 0.0;
            QColor fill = accent;
            fill.setAlphaF(0.08 + 0.92 * share);
            const QRectF box(grid.left() + column * cell, grid.top() + row * cell, cell, cell);
            painter.fillRect(box.adjusted(0.5, 0.5, -0.5, -0.5), fill);
            painter.setPen(share > 0.5 ? colors.color(QPalette::HighlightedText) : colors.color(QPalette::Text));
            if (cell >= 14)
                painter.drawText(box, Qt::AlignCenter, QString::number(counts_[row][column]));
        }
    }
    painter.setPen(colors.color(QPalette::Mid));
    painter.drawRect(grid);
}

std::pair<int, int> ConfusionMatrixWidget::cellAt(const QPoint& pos) const
{
    const QRect grid = gridRect();
    if (counts_.empty() || !grid.contains(pos))
        return { -1, -1 };
    const double cell = double(grid.width()) / counts_.size();
    const int column = std::clamp(int((pos.x() - grid.left()) / cell), 0, int(counts_.size()) - 1);
    const int row = std::clamp(int((pos.y() - grid.top()) / cell), 0, int(counts_.size()) - 1);
    return { row, column };
}

void ConfusionMatrixWidget::mouseMoveEvent(QMouseEvent* event)
{
    const auto [row, column] = cellAt(event->pos());
    if (row < 0)
        return QToolTip::hideText();
    const int64_t count = column < int(counts_[row].size()) ? counts_[row][column] : 0;
    QToolTip::showText(event->globalPosition().toPoint(),
        tr("true %1, predicted %2: %3 (click to see the samples)").arg(classNames_[row], classNames_[column]).arg(count),
        this);
}

void ConfusionMatrixWidget::mousePressEvent(QMouseEvent* event)
{
    const auto [row, column] = cellAt(event->pos());
    if (row >= 0 && event->button() == Qt::LeftButton)
        Q_EMIT cellClicked(row, column);
}

} // namespace netdraft::widgets
