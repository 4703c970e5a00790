#pragma once
// Inside a run: one block's activation (or gradient) distribution over the recorded steps as a heat
// map of step × value, like TensorBoard's histograms, beside every block's gradient norm over the steps
// on a log scale (vanishing and exploding gradients stand out), and the dead-ReLU warning. Fed live by
// the training worker's records or from a run folder's statistics.jsonl; redraws at a bounded rate.

#include "widgets/StatisticsHistory.h"

#include <QWidget>

#include <utility>

class QCPColorMap;
class QComboBox;
class QCustomPlot;
class QLabel;
class QStackedWidget;
class QTimer;

namespace netdraft::widgets {

class HistogramPanel : public QWidget {
    Q_OBJECT
public:
    explicit HistogramPanel(QWidget* parent = nullptr);

    /// Forgets every record and says `message` (a default hint on how to record statistics when empty).
    void clear(const QString& message = {});
    /// One recorded batch of a running run; drawn at the next tick.
    void addRecord(const engine::StatisticsRecord& record);
    /// Shows the statistics.jsonl of a run folder; false (and a message in the panel) when the run
    /// recorded none or the file does not read.
    bool loadRunFolder(const QString& folder);
    /// Draws what arrived now instead of at the next tick.
    void flush();

    const StatisticsHistory& history() const { return history_; }
    /// The blocks offered in the block list, in the order the network runs them.
    QStringList blockIds() const;
    QString currentBlock() const { return block_; }
    /// Shows block `id` (a block of the records; others are ignored).
    void setCurrentBlock(const QString& id);
    StatisticsValues values() const { return values_; }
    void setValues(StatisticsValues values);

    /// The steps (columns) of the heat map drawn for the current block.
    int stepCount() const { return steps_; }
    /// The value axis of the heat map: the lowest and highest edge of the block's histograms.
    std::pair<double, double> valueRange() const { return range_; }
    /// The gradient-norm curves drawn (one per block with parameters).
    int normCurveCount() const;
    QCustomPlot* heatMapPlot() const { return heatPlot_; }
    QCustomPlot* normPlot() const { return normPlot_; }
    QCPColorMap* heatMap() const { return heatMap_; }
    /// The text shown instead of the plots (empty while they show).
    QString message() const;
    /// The dead-ReLU warnings shown under the plots (empty when none).
    QString warningText() const;
    /// The line above the plots: recorded steps, epochs, value range.
    QString summaryText() const;

    /// Redraws per second at most while records arrive.
    static constexpr int kMaxRedrawsPerSecond = 4;
    /// Rows of the heat map's value axis.
    static constexpr int kValueRows = 60;
    /// The heat map's shades span this many decades of counts below each column's peak.
    static constexpr double kShadeDecades = 3.0;

public Q_SLOTS:
    /// Follows the canvas: the first selected block that was recorded (an inner block of a composite).
    void showCanvasSelection(const QStringList& canvasIds);

private:
    void redraw();
    void updateBlockList();
    void drawHeatMap();
    void drawNorms();
    void showMessage(const QString& text);

    StatisticsHistory history_;
    QString block_;
    StatisticsValues values_ = StatisticsValues::Activations;
    int steps_ = 0;
    std::pair<double, double> range_ { 0.0, 0.0 };
    QComboBox* blocks_ = nullptr;
    QComboBox* valuesBox_ = nullptr;
    QLabel* summary_ = nullptr;
    QStackedWidget* pages_ = nullptr;
    QLabel* message_ = nullptr;
    QCustomPlot* heatPlot_ = nullptr;
    QCPColorMap* heatMap_ = nullptr;
    QCustomPlot* normPlot_ = nullptr;
    QLabel* warning_ = nullptr;
    QTimer* redrawTimer_ = nullptr;
};

} // namespace netdraft::widgets
