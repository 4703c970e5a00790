#include "widgets/ConfusionMatrixWidget.h"

#include <QContextMenuEvent>
#include <QMenu>
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
        width = std::max(width, fontMetrics().horizontalAdvance(name));
    return std::min(width + 8, this->width() / 4);
}

int ConfusionMatrixWidget::widestName() const
{
    int width = 0;
    for (const QString& name : classNames_)
        width = std::max(width, fontMetrics().horizontalAdvance(name));
    return width;
}

bool ConfusionMatrixWidget::columnNamesRotated() const
{
    if (counts_.empty())
        return false;
    const int top = fontMetrics().height() * 2 + 4;
    const int left = labelWidth() + fontMetrics().height() + 4;
    const int side = std::max(0, std::min(width() - left - 4, height() - top - 4));
    return widestName() + 4 > side / int(counts_.size());
}

int ConfusionMatrixWidget::columnHeaderHeight() const
{
    // Upright names take one line; names too wide for their column stand on end, at most a quarter
    // of the height, elided past that (the tooltip has the whole name).
    if (!columnNamesRotated())
        return fontMetrics().height();
    return std::min(widestName() + 6, std::max(fontMetrics().height(), height() / 4));
}

QRect ConfusionMatrixWidget::gridRect() const
{
    const int top = fontMetrics().height() + 2 + columnHeaderHeight() + 2;
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
    const int lineHeight = fontMetrics().height();
    const QColor accent = colors.color(QPalette::Highlight);
    painter.setPen(colors.color(QPalette::Text));
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    // Centred over the grid, moved in rather than cut when the grid is narrower than the words.
    const QString predicted = tr("predicted class");
    const int titleWidth = std::max(grid.width(), QFontMetrics(bold).horizontalAdvance(predicted) + 4);
    const int titleLeft = std::clamp(grid.center().x() - titleWidth / 2, 0, std::max(0, width() - titleWidth));
    painter.drawText(QRect(titleLeft, 0, titleWidth, lineHeight), Qt::AlignCenter, predicted);
    painter.save();
    painter.translate(lineHeight, grid.center().y());
    painter.rotate(-90);
    painter.drawText(
        QRect(-grid.height() / 2, -lineHeight, grid.height(), lineHeight), Qt::AlignCenter, tr("true class"));
    painter.restore();
    painter.setFont(font());
    const bool rotated = columnNamesRotated();
    const int headerHeight = columnHeaderHeight();
    const int headerTop = lineHeight + 2;
    for (int column = 0; column < n; ++column) {
        const double x = grid.left() + column * cell;
        if (!rotated) {
            painter.drawText(QRectF(x, headerTop, cell, headerHeight), Qt::AlignCenter,
                fontMetrics().elidedText(classNames_[column], Qt::ElideRight, int(cell)));
            continue;
        }
        painter.save();
        painter.translate(x + cell / 2, headerTop + headerHeight);
        painter.rotate(-90);
        painter.drawText(QRectF(0, -lineHeight / 2.0, headerHeight, lineHeight), Qt::AlignLeft | Qt::AlignVCenter,
            fontMetrics().elidedText(classNames_[column], Qt::ElideRight, headerHeight - 2));
        painter.restore();
    }
    const bool countsShown = cellCountsShown();
    for (int row = 0; row < n; ++row) {
        int64_t rowTotal = 0;
        for (int64_t count : counts_[row])
            rowTotal += count;
        const QRectF label(lineHeight + 4, grid.top() + row * cell, labelWidth() - 4, cell);
        painter.setFont(font());
        painter.setPen(colors.color(QPalette::Text));
        painter.drawText(label, Qt::AlignRight | Qt::AlignVCenter,
            fontMetrics().elidedText(classNames_[row], Qt::ElideRight, int(label.width())));
        painter.setFont(cellCountFont());
        for (int column = 0; column < n && column < int(counts_[row].size()); ++column) {
            const double share = rowTotal > 0 ? double(counts_[row][column]) / rowTotal : 0.0;
            QColor fill = accent;
            fill.setAlphaF(0.08 + 0.92 * share);
            const QRectF box(grid.left() + column * cell, grid.top() + row * cell, cell, cell);
            painter.fillRect(box.adjusted(0.5, 0.5, -0.5, -0.5), fill);
            painter.setPen(share > 0.5 ? colors.color(QPalette::HighlightedText) : colors.color(QPalette::Text));
            if (countsShown)
                painter.drawText(box, Qt::AlignCenter, QString::number(counts_[row][column]));
        }
    }
    painter.setPen(colors.color(QPalette::Mid));
    painter.drawRect(grid);
}

QFont ConfusionMatrixWidget::cellCountFont() const
{
    QFont counts = font();
    if (counts.pointSizeF() < kMinimumCountPoints)
        counts.setPointSizeF(kMinimumCountPoints);
    return counts;
}

bool ConfusionMatrixWidget::cellCountsShown() const
{
    if (counts_.empty())
        return false;
    const double cell = double(gridRect().width()) / counts_.size();
    // Every count must fit its cell with a little room around it: the widest decides.
    const QFontMetrics metrics(cellCountFont());
    int widest = 0;
    for (const auto& row : counts_)
        for (int64_t count : row)
            widest = std::max(widest, metrics.horizontalAdvance(QString::number(count)));
    return widest + 4 <= cell && metrics.height() + 2 <= cell;
}

QString ConfusionMatrixWidget::toolTipAt(const QPoint& pos) const
{
    const QRect grid = gridRect();
    if (counts_.empty() || grid.width() == 0)
        return {};
    const int n = int(counts_.size());
    const double cell = double(grid.width()) / n;
    const int column = int((pos.x() - grid.left()) / cell);
    const int row = int((pos.y() - grid.top()) / cell);
    if (pos.x() >= grid.left() && column < n && pos.y() < grid.top() && pos.y() > fontMetrics().height())
        return tr("predicted %1").arg(classNames_[column]);
    if (pos.y() >= grid.top() && row < n && pos.x() < grid.left())
        return tr("true %1: %2 test samples").arg(classNames_[row]).arg(rowTotal(row));
    const auto [cellRow, cellColumn] = cellAt(pos);
    if (cellRow < 0)
        return {};
    const int64_t count = cellColumn < int(counts_[cellRow].size()) ? counts_[cellRow][cellColumn] : 0;
    return tr("true %1, predicted %2: %3 (click to see the samples)")
        .arg(classNames_[cellRow], classNames_[cellColumn])
        .arg(count);
}

QRect ConfusionMatrixWidget::cellRect(int row, int column) const
{
    const QRect grid = gridRect();
    const double cell = counts_.empty() ? 0.0 : double(grid.width()) / counts_.size();
    return QRectF(grid.left() + column * cell, grid.top() + row * cell, cell, cell).toRect();
}

int64_t ConfusionMatrixWidget::rowTotal(int row) const
{
    int64_t total = 0;
    for (int64_t count : counts_[size_t(row)])
        total += count;
    return total;
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
    const QString tip = toolTipAt(event->pos());
    if (tip.isEmpty())
        return QToolTip::hideText();
    QToolTip::showText(event->globalPosition().toPoint(), tip, this);
}

void ConfusionMatrixWidget::mousePressEvent(QMouseEvent* event)
{
    const auto [row, column] = cellAt(event->pos());
    if (row >= 0 && event->button() == Qt::LeftButton)
        Q_EMIT cellClicked(row, column);
}

void ConfusionMatrixWidget::mouseDoubleClickEvent(QMouseEvent* event)
{
    const auto [row, column] = cellAt(event->pos());
    if (row >= 0 && event->button() == Qt::LeftButton)
        Q_EMIT cellGradCamRequested(row, column);
}

void ConfusionMatrixWidget::contextMenuEvent(QContextMenuEvent* event)
{
    const auto [row, column] = cellAt(event->pos());
    if (row < 0)
        return;
    QMenu menu(this);
    menu.addAction(
        tr("Show These Samples"), this, [this, row = row, column = column] { Q_EMIT cellClicked(row, column); });
    menu.addAction(tr("Grad-CAM of These Samples"), this,
        [this, row = row, column = column] { Q_EMIT cellGradCamRequested(row, column); });
    menu.exec(event->globalPos());
}

} // namespace netdraft::widgets
