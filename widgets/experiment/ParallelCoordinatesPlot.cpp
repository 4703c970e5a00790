#include "widgets/experiment/ParallelCoordinatesPlot.h"

#include "widgets/experiment/TrialMetric.h"

#include "widgets/QCustomPlotInclude.h"

#include <QVBoxLayout>

#include <algorithm>

namespace netdraft::widgets {

namespace {

/// A key's distinct values along its axis: numbers in numeric order, else in order of appearance.
QStringList axisValues(const engine::ResultsTable& table, size_t key)
{
    QStringList values;
    for (const auto& row : table.rows) {
        const QString value
            = row.values[key].empty() ? QStringLiteral("(project)") : QString::fromStdString(row.values[key]);
        if (!values.contains(value))
            values << value;
    }
    bool numeric = true;
    for (const QString& value : values) {
        bool ok = false;
        value.toDouble(&ok);
        numeric = numeric && ok;
    }
    if (numeric)
        std::sort(values.begin(), values.end(),
            [](const QString& a, const QString& b) { return a.toDouble() < b.toDouble(); });
    return values;
}

double spread(int index, int count)
{
    return count <= 1 ? 0.5 : double(index) / double(count - 1);
}

QColor metricColour(double fraction)
{
    // Red (worst) through amber to green (best).
    const QColor worst(0xd3, 0x2f, 0x2f), middle(0xf9, 0xa8, 0x25), best(0x2e, 0x9d, 0x3a);
    const auto mix = [](const QColor& a, const QColor& b, double t) {
        return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
            float(a.greenF() + (b.greenF() - a.greenF()) * t), float(a.blueF() + (b.blueF() - a.blueF()) * t));
    };
    return fraction < 0.5 ? mix(worst, middle, fraction * 2.0) : mix(middle, best, (fraction - 0.5) * 2.0);
}

} // namespace

ParallelCoordinatesPlot::ParallelCoordinatesPlot(QWidget* parent)
    : QWidget(parent)
    , plot_(new QCustomPlot(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    setObjectName("parallelCoordinates");
    setMinimumHeight(200);
    plot_->yAxis->setVisible(false);
    plot_->xAxis->setBasePen(Qt::NoPen);
    plot_->xAxis->setTickPen(Qt::NoPen);
    plot_->xAxis->setSubTickPen(Qt::NoPen);
    plot_->xAxis->grid()->setVisible(false);
    plot_->yAxis->grid()->setVisible(false);
    QFont font = plot_->xAxis->tickLabelFont();
    font.setBold(true);
    plot_->xAxis->setTickLabelFont(font);
    connect(plot_, &QCustomPlot::plottableClick, this, [this](QCPAbstractPlottable* plottable, int, QMouseEvent*) {
        const auto it = trialOfLine_.find(plottable);
        if (it != trialOfLine_.end())
            Q_EMIT trialClicked(it->second);
    });
}

void ParallelCoordinatesPlot::setTable(const engine::ResultsTable& table)
{
    plot_->clearPlottables();
    plot_->clearItems();
    trialOfLine_.clear();
    crossings_.clear();
    const TrialMetric metric = TrialMetric::of(table);
    const int keys = int(table.keys.size());
    std::vector<QStringList> values;
    for (int key = 0; key < keys; ++key)
        values.push_back(axisValues(table, size_t(key)));
    double low = 0.0, high = 0.0;
    bool any = false;
    for (const auto& row : table.rows)
        if (const auto value = metric.value(row)) {
            low = any ? std::min(low, *value) : *value;
            high = any ? std::max(high, *value) : *value;
            any = true;
        }
    const auto scaled = [&](double value) { return high > low ? (value - low) / (high - low) : 0.5; };

    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int key = 0; key < keys; ++key)
        ticker->addTick(key, QString::fromStdString(table.keys[size_t(key)]));
    ticker->addTick(keys, metric.name());
    plot_->xAxis->setTicker(ticker);
    plot_->xAxis->setRange(-0.35, keys + 0.6);
    plot_->yAxis->setRange(-0.08, 1.14);

    // The axes and their value labels.
    const auto label = [this](double x, double y, const QString& text) {
        auto* item = new QCPItemText(plot_);
        item->position->setCoords(x, y);
        item->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        item->setPadding(QMargins(6, 0, 0, 0));
        item->setText(text);
        item->setBrush(QColor(255, 255, 255, 210));
        item->setClipToAxisRect(false);
        item->setLayer("overlay");
    };
    for (int axis = 0; axis <= keys; ++axis) {
        auto* line = new QCPItemLine(plot_);
        line->start->setCoords(axis, 0.0);
        line->end->setCoords(axis, 1.0);
        line->setPen(QPen(QColor(0x42, 0x42, 0x42), 1.5));
        if (axis < keys)
            for (int index = 0; index < values[size_t(axis)].size(); ++index)
                label(axis, spread(index, int(values[size_t(axis)].size())), values[size_t(axis)][index]);
    }
    if (any) {
        const int steps = high > low ? 4 : 0;
        for (int step = 0; step <= steps; ++step) {
            const double value = steps == 0 ? low : low + (high - low) * step / steps;
            label(keys, scaled(value), metric.format(value));
        }
    }

    auto* legend = new QCPItemText(plot_);
    legend->position->setType(QCPItemPosition::ptAxisRectRatio);
    legend->position->setCoords(0.0, 0.0);
    legend->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    legend->setText(tr("One line per trial, coloured by %1: red worst, green best. Click a line to show its run.")
                        .arg(metric.name()));
    legend->setColor(QColor(0x61, 0x61, 0x61));

    // One line per trial; the best drawn last, on top.
    std::vector<const engine::TrialRow*> drawn;
    for (const auto& row : table.rows)
        if (metric.value(row))
            drawn.push_back(&row);
    std::stable_sort(drawn.begin(), drawn.end(), [&](const engine::TrialRow* a, const engine::TrialRow* b) {
        const double fa = scaled(*metric.value(*a)), fb = scaled(*metric.value(*b));
        return metric.higherIsBetter() ? fa < fb : fa > fb;
    });
    for (const engine::TrialRow* row : drawn) {
        std::vector<double> ys;
        for (int key = 0; key < keys; ++key) {
            const QString value = row->values[size_t(key)].empty() ? QStringLiteral("(project)")
                                                                   : QString::fromStdString(row->values[size_t(key)]);
            ys.push_back(spread(int(values[size_t(key)].indexOf(value)), int(values[size_t(key)].size())));
        }
        const double position = scaled(*metric.value(*row));
        ys.push_back(position);
        auto* curve = new QCPCurve(plot_->xAxis, plot_->yAxis);
        for (int axis = 0; axis <= keys; ++axis)
            curve->addData(axis, ys[size_t(axis)]);
        const double goodness = metric.higherIsBetter() ? position : 1.0 - position;
        curve->setPen(QPen(metricColour(goodness), 2.2));
        curve->setName(tr("Trial %1").arg(row->number));
        curve->setSelectable(QCP::stWhole);
        curve->setSelectionDecorator(nullptr);
        trialOfLine_[curve] = row->number;
        crossings_[row->number] = ys;
    }
    plot_->replot();
}

std::vector<int> ParallelCoordinatesPlot::drawnTrials() const
{
    std::vector<int> trials;
    for (const auto& [trial, ys] : crossings_)
        trials.push_back(trial);
    return trials;
}

double ParallelCoordinatesPlot::crossing(int trial, int axis) const
{
    const auto it = crossings_.find(trial);
    if (it == crossings_.end() || axis < 0 || axis >= int(it->second.size()))
        return -1.0;
    return it->second[size_t(axis)];
}

} // namespace netdraft::widgets
