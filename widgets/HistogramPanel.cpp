#include "widgets/HistogramPanel.h"

#include "engine/core/Error.h"
#include "widgets/QCustomPlotInclude.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace netdraft::widgets {

namespace {

const char* const kStatisticsFile = "statistics.jsonl"; // engine::Trainer::statisticsFileName, which needs LibTorch

QString defaultHint()
{
    return HistogramPanel::tr("No per-block statistics yet. Set \"Statistics every\" in the Training settings "
                              "(e.g. 50 batches) and train, or choose a run that recorded them.");
}

QColor curveColour(int index)
{
    static const QColor colours[] = { QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44),
        QColor(214, 39, 40), QColor(148, 103, 189), QColor(140, 86, 75), QColor(227, 119, 194), QColor(23, 190, 207) };
    return colours[index % 8];
}

/// Spreads `histogram`'s counts over `rows` equal rows of [low, high] in proportion to each bin's overlap.
std::vector<double> resample(const engine::ValueHistogram& histogram, double low, double high, int rows)
{
    std::vector<double> result(size_t(rows), 0.0);
    const double rowHeight = (high - low) / rows;
    const double binWidth = (histogram.high - histogram.low) / double(histogram.counts.size());
    for (size_t bin = 0; bin < histogram.counts.size(); ++bin) {
        const double count = histogram.counts[bin];
        if (count <= 0)
            continue;
        const double from = histogram.low + double(bin) * binWidth;
        const double to = from + binWidth;
        const int first = std::clamp(int(std::floor((from - low) / rowHeight)), 0, rows - 1);
        const int last = std::clamp(int(std::ceil((to - low) / rowHeight)) - 1, first, rows - 1);
        for (int row = first; row <= last; ++row) {
            const double overlap = std::min(to, low + (row + 1) * rowHeight) - std::max(from, low + row * rowHeight);
            if (overlap > 0)
                result[size_t(row)] += count * overlap / binWidth;
        }
    }
    return result;
}

/// A row's share of its column's peak on a log scale over kShadeDecades decades (1 at the peak, 0 for
/// nothing or less than a thousandth): a ReLU's spike at 0 leaves its tail visible.
double shade(double count, double peak)
{
    if (!(count > 0) || !(peak > 0))
        return 0.0;
    return std::max(0.0, 1.0 + std::log10(count / peak) / HistogramPanel::kShadeDecades);
}

QString number(double value)
{
    return QString::number(value, 'g', 3);
}

} // namespace

HistogramPanel::HistogramPanel(QWidget* parent)
    : QWidget(parent)
    , blocks_(new QComboBox)
    , valuesBox_(new QComboBox)
    , summary_(new QLabel)
    , pages_(new QStackedWidget)
    , message_(new QLabel)
    , heatPlot_(new QCustomPlot)
    , normPlot_(new QCustomPlot)
    , warning_(new QLabel)
    , redrawTimer_(new QTimer(this))
{
    setObjectName(QStringLiteral("histogramPanel"));
    blocks_->setObjectName(QStringLiteral("histogramBlock"));
    blocks_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    blocks_->setToolTip(tr("The block whose values the heat map shows; selecting a block on the canvas picks it too"));
    valuesBox_->setObjectName(QStringLiteral("histogramValues"));
    valuesBox_->addItem(tr("Outputs (activations)"));
    valuesBox_->addItem(tr("Gradients of its parameters"));
    summary_->setObjectName(QStringLiteral("histogramSummary"));
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Block")));
    bar->addWidget(blocks_);
    bar->addWidget(valuesBox_);
    bar->addWidget(summary_, 1);

    heatPlot_->setObjectName(QStringLiteral("histogramHeatMap"));
    heatMap_ = new QCPColorMap(heatPlot_->xAxis, heatPlot_->yAxis);
    QCPColorGradient gradient;
    gradient.clearColorStops();
    gradient.setColorStopAt(0.0, QColor(247, 251, 255));
    gradient.setColorStopAt(0.35, QColor(158, 202, 225));
    gradient.setColorStopAt(0.7, QColor(49, 130, 189));
    gradient.setColorStopAt(1.0, QColor(8, 48, 107));
    heatMap_->setGradient(gradient);
    heatMap_->setInterpolate(false);
    heatMap_->setDataRange(QCPRange(0.0, 1.0));
    heatPlot_->xAxis->setLabel(tr("training step"));
    heatPlot_->setToolTip(tr("Each column is one recorded batch; darker = more values there (each column against "
                             "its own peak, on a log scale over three decades, so that the tails show)"));

    normPlot_->setObjectName(QStringLiteral("gradientNormPlot"));
    normPlot_->yAxis->setScaleType(QCPAxis::stLogarithmic);
    normPlot_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    normPlot_->yAxis->setNumberFormat(QStringLiteral("eb"));
    normPlot_->yAxis->setNumberPrecision(0);
    normPlot_->xAxis->setLabel(tr("training step"));
    normPlot_->yAxis->setLabel(tr("gradient norm (log)"));
    normPlot_->legend->setVisible(true);
    QFont legendFont = font();
    legendFont.setPointSizeF(legendFont.pointSizeF() * 0.85);
    normPlot_->legend->setFont(legendFont);
    // The legend beside the plot, not over the curves: a column of its own, its top aligned with the axes.
    auto* side = new QCPLayoutGrid;
    normPlot_->plotLayout()->addElement(0, 1, side);
    normPlot_->plotLayout()->setColumnStretchFactor(1, 0.001);
    normPlot_->axisRect()->insetLayout()->take(normPlot_->legend);
    side->addElement(0, 0, normPlot_->legend);
    side->addElement(1, 0, new QCPLayoutElement(normPlot_));
    side->setRowStretchFactor(0, 0.001);
    side->setMargins(QMargins(0, 10, 6, 0));
    normPlot_->legend->setBorderPen(Qt::NoPen);
    normPlot_->legend->setBrush(Qt::NoBrush);
    normPlot_->setToolTip(tr("The L2 norm of each block's parameter gradients: curves falling towards zero "
                             "vanish, curves climbing by decades explode"));
    for (QCustomPlot* plot : { heatPlot_, normPlot_ }) {
        plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
        plot->setMinimumSize(200, 120);
    }

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(heatPlot_);
    splitter->addWidget(normPlot_);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({ 3000, 2000 }); // shared in this ratio once the panel has its width
    message_->setObjectName(QStringLiteral("histogramMessage"));
    message_->setWordWrap(true);
    message_->setAlignment(Qt::AlignCenter);
    message_->setMargin(16);
    pages_->addWidget(message_);
    pages_->addWidget(splitter);

    warning_->setObjectName(QStringLiteral("deadReluWarning"));
    warning_->setWordWrap(true);
    warning_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    warning_->setStyleSheet(QStringLiteral("QLabel { color: #8a5300; background: #fff4d6; padding: 3px 6px; }"));
    warning_->hide();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(3);
    layout->addLayout(bar);
    layout->addWidget(pages_, 1);
    layout->addWidget(warning_);

    redrawTimer_->setSingleShot(true);
    redrawTimer_->setInterval(1000 / kMaxRedrawsPerSecond);
    connect(redrawTimer_, &QTimer::timeout, this, &HistogramPanel::redraw);
    connect(blocks_, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0)
            setCurrentBlock(blocks_->itemData(index).toString());
    });
    connect(valuesBox_, &QComboBox::currentIndexChanged, this,
        [this](int index) { setValues(index == 1 ? StatisticsValues::Gradients : StatisticsValues::Activations); });
    clear();
}

void HistogramPanel::clear(const QString& message)
{
    history_.clear();
    block_.clear();
    redrawTimer_->stop();
    redraw();
    showMessage(message.isEmpty() ? defaultHint() : message);
}

void HistogramPanel::addRecord(const engine::StatisticsRecord& record)
{
    history_.add(record);
    if (!redrawTimer_->isActive())
        redrawTimer_->start();
}

bool HistogramPanel::loadRunFolder(const QString& folder)
{
    const QString path = QDir(folder).filePath(QString::fromLatin1(kStatisticsFile));
    if (!QFileInfo::exists(path)) {
        clear(tr("This run recorded no per-block statistics (its \"Statistics every\" was 0). %1")
                  .arg(tr("Set it in the Training settings and train again to see them here.")));
        return false;
    }
    try {
        history_.load(path);
    } catch (const std::exception& error) {
        clear(tr("The run's statistics do not read: %1").arg(QString::fromUtf8(error.what())));
        return false;
    }
    block_.clear();
    flush();
    if (history_.isEmpty())
        showMessage(tr("This run's statistics.jsonl holds no records yet."));
    return !history_.isEmpty();
}

void HistogramPanel::flush()
{
    redrawTimer_->stop();
    redraw();
}

QStringList HistogramPanel::blockIds() const
{
    QStringList ids;
    for (int i = 0; i < blocks_->count(); ++i)
        ids << blocks_->itemData(i).toString();
    return ids;
}

void HistogramPanel::setCurrentBlock(const QString& id)
{
    if (id == block_ || !history_.blockIds().contains(id))
        return;
    block_ = id;
    redraw();
}

void HistogramPanel::setValues(StatisticsValues values)
{
    if (values == values_)
        return;
    values_ = values;
    redraw();
}

void HistogramPanel::showCanvasSelection(const QStringList& canvasIds)
{
    const QString id = history_.blockOfCanvas(canvasIds);
    if (!id.isEmpty())
        setCurrentBlock(id);
}

int HistogramPanel::normCurveCount() const
{
    return normPlot_->graphCount();
}

QString HistogramPanel::message() const
{
    return pages_->currentWidget() == message_ ? message_->text() : QString();
}

QString HistogramPanel::warningText() const
{
    return warning_->isHidden() ? QString() : warning_->text();
}

QString HistogramPanel::summaryText() const
{
    return summary_->text();
}

void HistogramPanel::showMessage(const QString& text)
{
    message_->setText(text);
    pages_->setCurrentWidget(message_);
}

void HistogramPanel::redraw()
{
    updateBlockList();
    drawHeatMap();
    drawNorms();
    const QStringList warnings = history_.warnings();
    warning_->setText(warnings.isEmpty() ? QString() : QStringLiteral("⚠ ") + warnings.join(QStringLiteral("\n⚠ ")));
    warning_->setVisible(!warnings.isEmpty());
    if (!history_.isEmpty())
        pages_->setCurrentIndex(1);
}

void HistogramPanel::updateBlockList()
{
    if (block_.isEmpty() && !history_.blockIds().isEmpty())
        block_ = history_.blockIds().front();
    const QSignalBlocker blocker(blocks_);
    if (blockIds() != history_.blockIds()) {
        blocks_->clear();
        for (const QString& id : history_.blockIds())
            blocks_->addItem(history_.describe(id), id);
    }
    blocks_->setCurrentIndex(int(history_.blockIds().indexOf(block_)));
    const QSignalBlocker valuesBlocker(valuesBox_);
    valuesBox_->setCurrentIndex(values_ == StatisticsValues::Gradients ? 1 : 0);
}

void HistogramPanel::drawHeatMap()
{
    const std::vector<HistogramAtStep> histograms = history_.histograms(block_, values_);
    steps_ = int(histograms.size());
    const bool gradients = values_ == StatisticsValues::Gradients;
    heatPlot_->yAxis->setLabel(gradients ? tr("gradient value") : tr("output value"));
    if (histograms.empty()) {
        range_ = { 0.0, 0.0 };
        heatMap_->data()->clear();
        heatMap_->setVisible(false);
        summary_->setText(block_.isEmpty() ? QString()
                : gradients && !history_.hasParameters(block_)
                ? tr("%1 has no parameters: no gradients to show").arg(history_.describe(block_))
                : tr("no histograms recorded for this block"));
        heatPlot_->replot();
        return;
    }
    double low = histograms.front().histogram.low;
    double high = histograms.front().histogram.high;
    for (const HistogramAtStep& entry : histograms) {
        low = std::min(low, entry.histogram.low);
        high = std::max(high, entry.histogram.high);
    }
    range_ = { low, high };
    // One column per recorded batch (a single one drawn twice, so that it has a width).
    const int columns = std::max(2, steps_);
    QCPColorMapData* data = heatMap_->data();
    data->setSize(columns, kValueRows);
    const double rowHeight = (high - low) / kValueRows;
    const double firstStep = double(histograms.front().step);
    const double lastStep = steps_ > 1 ? double(histograms.back().step) : firstStep + 1.0;
    data->setRange(QCPRange(firstStep, lastStep), QCPRange(low + rowHeight / 2, high - rowHeight / 2));
    for (int column = 0; column < columns; ++column) {
        const HistogramAtStep& entry = histograms[size_t(std::min(column, steps_ - 1))];
        const std::vector<double> rows = resample(entry.histogram, low, high, kValueRows);
        const double peak = *std::max_element(rows.begin(), rows.end());
        for (int row = 0; row < kValueRows; ++row)
            data->setCell(column, row, shade(rows[size_t(row)], peak));
    }
    heatMap_->setVisible(true);
    heatPlot_->rescaleAxes();
    const int64_t firstEpoch = histograms.front().epoch;
    const int64_t lastEpoch = histograms.back().epoch;
    summary_->setText((steps_ == 1 ? tr("1 recorded step") : tr("%1 recorded steps").arg(steps_))
        + QStringLiteral(" · ")
        + (firstEpoch == lastEpoch ? tr("epoch %1").arg(firstEpoch) : tr("epochs %1–%2").arg(firstEpoch).arg(lastEpoch))
        + QStringLiteral(" · ") + tr("values %1 … %2").arg(number(low), number(high)));
    heatPlot_->replot();
}

void HistogramPanel::drawNorms()
{
    normPlot_->clearGraphs();
    int index = 0;
    double lowest = 0;
    double highest = 0;
    for (const QString& id : history_.blockIds()) {
        const std::vector<std::pair<int64_t, double>> norms = history_.gradientNorms(id);
        if (norms.empty())
            continue;
        QCPGraph* graph = normPlot_->addGraph();
        const bool current = id == block_;
        QPen pen(curveColour(index++), current ? 2.6 : 1.2);
        if (!current && !block_.isEmpty() && history_.hasParameters(block_))
            pen.setColor(QColor(pen.color().red(), pen.color().green(), pen.color().blue(), 140));
        graph->setPen(pen);
        graph->setName(history_.describe(id).section(QStringLiteral(" · "), 0, 0));
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, current ? 4 : 2));
        for (const auto& [step, norm] : norms)
            if (norm > 0 && std::isfinite(norm)) { // a log axis shows no zero
                graph->addData(double(step), norm);
                lowest = lowest > 0 ? std::min(lowest, norm) : norm;
                highest = std::max(highest, norm);
            }
    }
    normPlot_->rescaleAxes();
    if (lowest > 0) // whole decades around the curves
        normPlot_->yAxis->setRange(
            std::pow(10.0, std::floor(std::log10(lowest))), std::pow(10.0, std::ceil(std::log10(highest) + 1e-9)));
    normPlot_->legend->setVisible(normPlot_->graphCount() > 0);
    normPlot_->replot();
}

} // namespace netdraft::widgets
