#pragma once
// A confusion matrix drawn as a heat map: rows are true classes, columns predicted ones, each cell
// shaded by its share of the row and labelled with its count.

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

Q_SIGNALS:
    /// The user clicked the cell of true class `truth` and predicted class `predicted`.
    void cellClicked(int truth, int predicted);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    /// (row, column) of the cell under `pos`, or (-1, -1).
    std::pair<int, int> cellAt(const QPoint& pos) const;
    QRect gridRect() const;
    int labelWidth() const;

    std::vector<std::vector<int64_t>> counts_;
    QStringList classNames_;
};

} // namespace netdraft::widgets
