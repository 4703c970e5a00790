#pragma once
// Accuracy against cost: each trial with the metric (TrialMetric) and a cost is a point, cost being its
// parameters or its multiply-accumulates (log scale when they span more than a factor of 20); the
// Pareto front (engine::paretoFront: no other trial is cheaper and better) is marked and joined.
// Clicking a point emits trialClicked.

#include "engine/experiment/TrialResult.h"

#include <QWidget>

#include <functional>
#include <map>

class QCustomPlot;
class QCPAbstractPlottable;

namespace netdraft::widgets {

class ParetoPlot : public QWidget {
    Q_OBJECT
public:
    enum class Cost { Parameters, MultiplyAccumulates };

    explicit ParetoPlot(QWidget* parent = nullptr);

    /// `multiplyAccumulates` gives a trial's MACs (nullopt: unknown).
    void setTable(
        const engine::ResultsTable& table, const std::function<std::optional<int64_t>(int trial)>& multiplyAccumulates);
    void setCost(Cost cost);
    Cost cost() const { return cost_; }
    /// The trials on the front, by increasing cost, and every trial drawn.
    const std::vector<int>& frontTrials() const { return front_; }
    const std::vector<int>& drawnTrials() const { return drawn_; }

    QCustomPlot* plot() const { return plot_; }

Q_SIGNALS:
    void trialClicked(int trial);

private:
    QCustomPlot* plot_ = nullptr;
    void redraw();

    engine::ResultsTable table_;
    std::function<std::optional<int64_t>(int)> multiplyAccumulates_;
    Cost cost_ = Cost::Parameters;
    std::vector<int> front_;
    std::vector<int> drawn_;
    std::map<QCPAbstractPlottable*, std::vector<int>> trialsOfGraph_; ///< data index → trial
};

} // namespace netdraft::widgets
