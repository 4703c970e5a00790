#pragma once
// A confusion matrix drawn as a heat map: rows are true classes, columns predicted ones, both named
// (column names stand on end when they are wider than a column), each cell shaded by its share of
// the row and labelled with its count wherever the count fits at a legible size (at least 9 pt;
// smaller cells leave it to the tooltip).

#include <QStringList>
#include <QWidget>

#include <cstdint>
#include <utility>
#include <vector>

namespace netdraft::widgets {

class ConfusionMatrixWidget : public QWidget {
    Q_OBJECT
public:
    explicit ConfusionMatrixWidget(QWidget* parent = nullptr);

    void setMatrix(std::vector<std::vector<int64_t>> counts, QStringList classNames);
    const std::vector<std::vector<int64_t>>& matrix() const { return counts_; }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    /// What the tooltip says at `pos`: a cell's count, a column's or a row's class name.
    QString toolTipAt(const QPoint& pos) const;
    /// The cell of true class `row` and predicted class `column`, in widget coordinates.
    QRect cellRect(int row, int column) const;
    /// Whether the column names are drawn on end (too wide for their columns).
    bool columnNamesRotated() const;
    /// The font of the counts in the cells: the widget's, never below kMinimumCountPoints.
    QFont cellCountFont() const;
    /// Whether the cells are large enough to show their counts in cellCountFont() (else only the
    /// tooltips carry them).
    bool cellCountsShown() const;
    static constexpr double kMinimumCountPoints = 9.0;

Q_SIGNALS:
    /// The user clicked the cell of true class `truth` and predicted class `predicted`.
    void cellClicked(int truth, int predicted);
    /// The user asked for the Grad-CAM of a cell's samples (double-click, or the cell's context menu).
    void cellGradCamRequested(int truth, int predicted);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    /// (row, column) of the cell under `pos`, or (-1, -1).
    std::pair<int, int> cellAt(const QPoint& pos) const;
    QRect gridRect() const;
    int labelWidth() const;
    int widestName() const;
    int columnHeaderHeight() const;
    int64_t rowTotal(int row) const;

    std::vector<std::vector<int64_t>> counts_;
    QStringList classNames_;
};

} // namespace netdraft::widgets
