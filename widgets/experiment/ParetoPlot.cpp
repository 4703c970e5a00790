#include "widgets/experiment/ParetoPlot.h"

#include "engine/experiment/ParetoFront.h"
#include "widgets/experiment/TrialMetric.h"

#include "widgets/QCustomPlotInclude.h"

#include <QVBoxLayout>

#include <algorithm>

namespace netdraft::widgets {

ParetoPlot::ParetoPlot(QWidget* parent)
    : QWidget(parent)
    , plot_(new QCustomPlot(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    setObjectName("paretoPlot");
    setMinimumHeight(200);
    plot_->legend->setVisible(true);
    plot_->legend->setBrush(QColor(255, 255, 255, 220));
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    connect(
        plot_, &QCustomPlot::plottableClick, this, [this](QCPAbstractPlottable* plottable, int index, QMouseEvent*) {
            const auto it = trialsOfGraph_.find(plottable);
            if (it != trialsOfGraph_.end() && index >= 0 && index < int(it->second.size()))
                Q_EMIT trialClicked(it->second[size_t(index)]);
        });
}

void ParetoPlot::setTable(
    const engine::ResultsTable& table, const std::function<std::optional<int64_t>(int trial)>& multiplyAccumulates)
{
    table_ = table;
    multiplyAccumulates_ = multiplyAccumulates;
    redraw();
}

void ParetoPlot::setCost(Cost cost)
{
    cost_ = cost;
    redraw();
}

void ParetoPlot::redraw()
{
    plot_->clearPlottables();
    plot_->clearItems();
    trialsOfGraph_.clear();
    front_.clear();
    drawn_.clear();
    const TrialMetric metric = TrialMetric::of(table_);
    std::vector<engine::TradeOffPoint> points;
    for (const auto& row : table_.rows) {
        const auto value = metric.value(row);
        const std::optional<int64_t> cost = cost_ == Cost::Parameters
            ? row.parameters
            : (multiplyAccumulates_ ? multiplyAccumulates_(row.number) : std::nullopt);
        if (!value || !cost)
            continue;
        points.push_back({ double(*cost), *value });
        drawn_.push_back(row.number);
    }
    const std::vector<size_t> front = engine::paretoFront(points, metric.higherIsBetter());
    for (const size_t index : front)
        front_.push_back(drawn_[index]);

    const bool percent = metric.accuracy;
    const auto shown = [&](double value) { return percent ? value * 100.0 : value; };
    auto* all = plot_->addGraph();
    all->setName(tr("Trials"));
    all->setLineStyle(QCPGraph::lsNone);
    all->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(0x60, 0x7d, 0x8b), QColor(0xb0, 0xbe, 0xc5), 9));
    all->setSelectable(QCP::stSingleData);
    std::vector<int> allTrials;
    std::vector<size_t> byCost(points.size());
    for (size_t i = 0; i < points.size(); ++i)
        byCost[i] = i;
    std::stable_sort(byCost.begin(), byCost.end(), [&](size_t a, size_t b) { return points[a].cost < points[b].cost; });
    for (const size_t i : byCost) {
        all->addData(points[i].cost, shown(points[i].metric));
        allTrials.push_back(drawn_[i]);
    }
    trialsOfGraph_[all] = allTrials;

    auto* frontGraph = plot_->addGraph();
    frontGraph->setName(tr("Pareto front (no trial cheaper and better)"));
    frontGraph->setLineStyle(QCPGraph::lsStepLeft); // the staircase bounding what the front dominates
    frontGraph->setPen(QPen(QColor(0xef, 0x6c, 0x00), 2, Qt::DashLine));
    frontGraph->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDiamond, QColor(0xbf, 0x36, 0x0c), QColor(0xff, 0x98, 0x00), 13));
    frontGraph->setSelectable(QCP::stSingleData);
    for (const size_t index : front)
        frontGraph->addData(points[index].cost, shown(points[index].metric));
    trialsOfGraph_[frontGraph] = front_;

    for (size_t i = 0; i < points.size(); ++i) {
        auto* label = new QCPItemText(plot_);
        label->position->setCoords(points[i].cost, shown(points[i].metric));
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        label->setPadding(QMargins(7, 0, 0, 5));
        label->setText(QStringLiteral("#%1").arg(drawn_[i]));
    }

    plot_->xAxis->setLabel(cost_ == Cost::Parameters ? tr("parameters") : tr("multiply-accumulates per sample"));
    plot_->yAxis->setLabel(percent ? tr("%1 (%)").arg(metric.name()) : metric.name());
    double lowCost = 1.0, highCost = 1.0, lowMetric = 0.0, highMetric = 1.0;
    if (!points.empty()) {
        lowCost = highCost = points.front().cost;
        lowMetric = highMetric = shown(points.front().metric);
        for (const auto& point : points) {
            lowCost = std::min(lowCost, point.cost);
            highCost = std::max(highCost, point.cost);
            lowMetric = std::min(lowMetric, shown(point.metric));
            highMetric = std::max(highMetric, shown(point.metric));
        }
    }
    const bool logarithmic = lowCost > 0 && highCost / lowCost > 20.0;
    plot_->xAxis->setScaleType(logarithmic ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (logarithmic)
        plot_->xAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    else
        plot_->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    if (logarithmic) {
        plot_->xAxis->setRange(lowCost / 1.6, highCost * 1.8);
    } else {
        const double margin = std::max(1.0, (highCost - lowCost) * 0.12);
        plot_->xAxis->setRange(lowCost - margin, highCost + margin * 1.6);
    }
    const double metricMargin = std::max(percent ? 1.0 : 1e-3, (highMetric - lowMetric) * 0.15);
    plot_->yAxis->setRange(lowMetric - metricMargin, highMetric + metricMargin * 1.5);
    plot_->replot();
}

} // namespace netdraft::widgets
