#pragma once
// Parallel coordinates of an experiment: one vertical axis per varied key and a last one for the metric
// (TrialMetric), one line per trial that has the metric, coloured from worst (red) to best (green).
// A key's values are spread evenly along its axis in numeric order (words in the order they came).
// Clicking a line emits trialClicked.

#include "engine/experiment/TrialResult.h"

#include <QWidget>

#include <map>

class QCustomPlot;
class QCPAbstractPlottable;

namespace netdraft::widgets {

class ParallelCoordinatesPlot : public QWidget {
    Q_OBJECT
public:
    explicit ParallelCoordinatesPlot(QWidget* parent = nullptr);

    void setTable(const engine::ResultsTable& table);
    /// The trials drawn, in table order.
    std::vector<int> drawnTrials() const;
    /// Where trial `trial` crosses axis `axis` (0 = bottom, 1 = top); -1 when it is not drawn.
    double crossing(int trial, int axis) const;

    QCustomPlot* plot() const { return plot_; }

Q_SIGNALS:
    void trialClicked(int trial);

private:
    QCustomPlot* plot_ = nullptr;
    std::map<QCPAbstractPlottable*, int> trialOfLine_;
    std::map<int, std::vector<double>> crossings_;
};

} // namespace netdraft::widgets
