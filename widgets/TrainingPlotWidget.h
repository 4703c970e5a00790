#pragma once
// Live training curves: loss per batch (raw and smoothed) and per epoch, accuracy and learning rate,
// all against epochs. Points are buffered and drawn at a bounded rate so that fast batches do not
// flood the event loop.

#include <QPointF>
#include <QVector>
#include <QWidget>

#include <optional>
#include <vector>

class QCPAxisRect;
class QCPGraph;
class QCustomPlot;
class QTimer;

namespace netdraft::widgets {

/// Four plots in one QCustomPlot; drag to pan, wheel to zoom, hover for values, export PNG/PDF/CSV.
class TrainingPlotWidget : public QWidget {
    Q_OBJECT
public:
    explicit TrainingPlotWidget(QWidget* parent = nullptr);

    /// Forgets every point.
    void clear();
    /// The run's length: the epoch axis spans 0..epochs.
    void setEpochs(int epochs);
    /// One training batch at `epochPosition` (epoch - 1 + batch / batchesPerEpoch).
    void addBatch(double epochPosition, double loss, std::optional<double> accuracy, double learningRate);
    /// One finished epoch (counted from 1).
    void addEpoch(int epoch, double trainLoss, std::optional<double> validationLoss,
        std::optional<double> trainAccuracy, std::optional<double> validationAccuracy);

    int batchPointCount() const { return int(batches_.size()); }
    int epochPointCount() const { return int(epochs_.size()); }
    /// How many times the plot has been redrawn (for the rate limit's test).
    int replotCount() const { return replots_; }
    /// Draws buffered points now instead of at the next tick.
    void flush();

    /// Overlays another run's per-epoch validation loss and accuracy (x = epoch), dashed, named
    /// `name`. Comparisons stay when the live curves are cleared.
    void addComparison(const QString& name, const QVector<QPointF>& validationLoss,
        const QVector<QPointF>& validationAccuracy);
    void clearComparisons();
    int comparisonCount() const { return int(comparisons_.size()) / 2; }

    bool exportPng(const QString& path, QString* error = nullptr);
    bool exportPdf(const QString& path, QString* error = nullptr);
    bool exportCsv(const QString& path, QString* error = nullptr) const;

    /// The smoothing factor of the smoothed loss curve (exponential moving average).
    static constexpr double kSmoothing = 0.9;
    /// Redraws per second at most.
    static constexpr int kMaxRedrawsPerSecond = 10;

public Q_SLOTS:
    void exportPngInteractively();
    void exportPdfInteractively();
    void exportCsvInteractively();
    void resetView();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    /// Lays the four plots out in one row when the widget is wide and short (a small screen), else two by two.
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct BatchPoint {
        double x;
        double loss;
        double smoothedLoss;
        std::optional<double> accuracy;
        double learningRate;
    };
    struct EpochPoint {
        int epoch;
        double trainLoss;
        std::optional<double> validationLoss;
        std::optional<double> trainAccuracy;
        std::optional<double> validationAccuracy;
    };

    QCPAxisRect* addPlot(int row, int column, const QString& title, const QString& valueLabel);
    QCPGraph* addGraph(QCPAxisRect* rect, const QString& name, const QColor& color, double width, bool markers);
    void applyPalette();
    void showValueAt(const QPoint& position);
    void rescale();

    QCustomPlot* plot_ = nullptr;
    QTimer* redrawTimer_ = nullptr;
    QCPAxisRect* lossRect_ = nullptr;
    QCPAxisRect* epochLossRect_ = nullptr;
    QCPAxisRect* accuracyRect_ = nullptr;
    QCPAxisRect* learningRateRect_ = nullptr;
    QCPGraph* rawLoss_ = nullptr;
    QCPGraph* smoothLoss_ = nullptr;
    QCPGraph* trainEpochLoss_ = nullptr;
    QCPGraph* validationEpochLoss_ = nullptr;
    QCPGraph* batchAccuracy_ = nullptr;
    QCPGraph* trainAccuracy_ = nullptr;
    QCPGraph* validationAccuracy_ = nullptr;
    QCPGraph* learningRate_ = nullptr;
    std::vector<QCPGraph*> comparisons_; ///< loss and accuracy graph of each compared run
    std::vector<BatchPoint> batches_;
    std::vector<EpochPoint> epochs_;
    size_t drawnBatches_ = 0;
    size_t drawnEpochs_ = 0;
    bool userMovedView_ = false;
    int replots_ = 0;
    int runEpochs_ = 1;
    double smoothed_ = 0;
    double smoothingWeight_ = 0;
};

} // namespace netdraft::widgets
