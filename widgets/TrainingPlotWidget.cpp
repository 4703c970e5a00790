#include "widgets/TrainingPlotWidget.h"

#include "widgets/QCustomPlotInclude.h"

#include <algorithm>
#include <iterator>

#include <QFile>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QMouseEvent>
#include <QResizeEvent>
#include <QTextStream>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>

#include <cmath>

namespace netdraft::widgets {

namespace {

QString fmt(std::optional<double> value, int precision = 4)
{
    return value ? QString::number(*value, 'g', precision) : QString();
}

} // namespace

TrainingPlotWidget::TrainingPlotWidget(QWidget* parent)
    : QWidget(parent)
{
    plot_ = new QCustomPlot(this);
    plot_->setObjectName(QStringLiteral("trainingPlot"));
    plot_->setMinimumSize(360, 150); // the bottom dock of a 1366×768 window leaves about 200 px
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->setNoAntialiasingOnDrag(true);
    plot_->setAutoAddPlottableToLegend(false); // each plot has its own legend
    plot_->plotLayout()->clear();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);

    lossRect_ = addPlot(0, 0, tr("Training loss per batch"), tr("loss"));
    epochLossRect_ = addPlot(0, 1, tr("Loss per epoch"), tr("loss"));
    accuracyRect_ = addPlot(1, 0, tr("Accuracy"), tr("accuracy"));
    learningRateRect_ = addPlot(1, 1, tr("Learning rate"), tr("rate"));

    rawLoss_ = addGraph(lossRect_, tr("raw"), QColor(120, 160, 220, 140), 1, false);
    smoothLoss_ = addGraph(lossRect_, tr("smoothed"), QColor(30, 90, 200), 2, false);
    trainEpochLoss_ = addGraph(epochLossRect_, tr("train"), QColor(30, 90, 200), 2, true);
    validationEpochLoss_ = addGraph(epochLossRect_, tr("validation"), QColor(230, 120, 20), 2, true);
    batchAccuracy_ = addGraph(accuracyRect_, tr("running (train)"), QColor(120, 160, 220, 140), 1, false);
    trainAccuracy_ = addGraph(accuracyRect_, tr("train"), QColor(30, 90, 200), 2, true);
    validationAccuracy_ = addGraph(accuracyRect_, tr("validation"), QColor(230, 120, 20), 2, true);
    learningRate_ = addGraph(learningRateRect_, tr("learning rate"), QColor(40, 150, 80), 2, false);
    accuracyRect_->axis(QCPAxis::atLeft)->setRange(0, 1);
    // Accuracy rises towards the top right: keep its legend out of the way.
    accuracyRect_->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);

    redrawTimer_ = new QTimer(this);
    redrawTimer_->setInterval(1000 / kMaxRedrawsPerSecond);
    connect(redrawTimer_, &QTimer::timeout, this, &TrainingPlotWidget::flush);

    plot_->installEventFilter(this);
    plot_->setMouseTracking(true);
    plot_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(plot_, &QWidget::customContextMenuRequested, this, [this](const QPoint& position) {
        QMenu menu(this);
        menu.addAction(tr("Reset view"), this, &TrainingPlotWidget::resetView);
        menu.addAction(tr("Export PNG…"), this, &TrainingPlotWidget::exportPngInteractively);
        menu.addAction(tr("Export PDF (vector)…"), this, &TrainingPlotWidget::exportPdfInteractively);
        menu.addAction(tr("Export CSV…"), this, &TrainingPlotWidget::exportCsvInteractively);
        menu.exec(plot_->mapToGlobal(position));
    });
    applyPalette();
}

QCPAxisRect* TrainingPlotWidget::addPlot(int row, int column, const QString& title, const QString& valueLabel)
{
    auto* cell = new QCPLayoutGrid;
    plot_->plotLayout()->addElement(row, column, cell);
    auto* heading = new QCPTextElement(plot_, title, QFont(font().family(), font().pointSize(), QFont::Bold));
    cell->addElement(0, 0, heading);
    auto* rect = new QCPAxisRect(plot_);
    cell->addElement(1, 0, rect);
    cell->setRowStretchFactor(0, 0.01);
    rect->axis(QCPAxis::atBottom)->setLabel(tr("epoch"));
    rect->axis(QCPAxis::atLeft)->setLabel(valueLabel);
    auto* legend = new QCPLegend;
    rect->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignRight);
    legend->setLayer(QStringLiteral("legend"));
    legend->setIconSize(16, 8);
    for (QCPAxis* axis : rect->axes()) {
        axis->setLayer(QStringLiteral("axes"));
        axis->ticker()->setTickCount(4); // short plots: few, readable ticks
    }
    return rect;
}

QCPGraph* TrainingPlotWidget::addGraph(
    QCPAxisRect* rect, const QString& name, const QColor& color, double width, bool markers)
{
    QCPGraph* graph = plot_->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    graph->setName(name);
    graph->setPen(QPen(color, width));
    if (markers)
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
    // Legends live in the rect's inset layout, not in the plot's default legend.
    if (auto* legend = qobject_cast<QCPLegend*>(rect->insetLayout()->elementAt(0)))
        graph->addToLegend(legend);
    return graph;
}

void TrainingPlotWidget::clear()
{
    batches_.clear();
    epochs_.clear();
    drawnBatches_ = drawnEpochs_ = 0;
    smoothed_ = smoothingWeight_ = 0;
    userMovedView_ = false;
    for (int i = 0; i < plot_->graphCount(); ++i)
        if (std::find(comparisons_.begin(), comparisons_.end(), plot_->graph(i)) == comparisons_.end())
            plot_->graph(i)->data()->clear();
    rescale();
    plot_->replot();
}

void TrainingPlotWidget::addComparison(
    const QString& name, const QVector<QPointF>& validationLoss, const QVector<QPointF>& validationAccuracy)
{
    // Muted colours, distinct from the live curves' blue and orange; dashed so they read as history.
    static const QColor colours[] = { QColor(0x6a, 0x3d, 0x9a), QColor(0x33, 0xa0, 0x2c), QColor(0x80, 0x80, 0x80),
        QColor(0xb1, 0x59, 0x28), QColor(0xe3, 0x1a, 0x8c) };
    const QColor colour = colours[(comparisons_.size() / 2) % std::size(colours)];
    for (auto [rect, points] : { std::pair { epochLossRect_, &validationLoss }, std::pair { accuracyRect_, &validationAccuracy } }) {
        QCPGraph* graph = addGraph(rect, tr("%1 (validation)").arg(name), colour, 1.5, true);
        QPen pen = graph->pen();
        pen.setStyle(Qt::DashLine);
        graph->setPen(pen);
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
        for (const QPointF& point : *points)
            graph->addData(point.x(), point.y());
        comparisons_.push_back(graph);
    }
    rescale();
    plot_->replot();
}

void TrainingPlotWidget::clearComparisons()
{
    for (QCPGraph* graph : comparisons_) {
        // removeGraph only cleans the plot's default legend; ours live in each rect's inset layout.
        if (auto* legend = qobject_cast<QCPLegend*>(graph->keyAxis()->axisRect()->insetLayout()->elementAt(0)))
            graph->removeFromLegend(legend);
        plot_->removeGraph(graph);
    }
    comparisons_.clear();
    rescale();
    plot_->replot();
}

void TrainingPlotWidget::addBatch(
    double epochPosition, double loss, std::optional<double> accuracy, double learningRate)
{
    // Bias-corrected exponential moving average, as TensorBoard draws it.
    smoothed_ = kSmoothing * smoothed_ + (1 - kSmoothing) * loss;
    smoothingWeight_ = kSmoothing * smoothingWeight_ + (1 - kSmoothing);
    batches_.push_back({ epochPosition, loss, smoothed_ / smoothingWeight_, accuracy, learningRate });
    if (!redrawTimer_->isActive())
        redrawTimer_->start();
}

void TrainingPlotWidget::addEpoch(int epoch, double trainLoss, std::optional<double> validationLoss,
    std::optional<double> trainAccuracy, std::optional<double> validationAccuracy)
{
    epochs_.push_back({ epoch, trainLoss, validationLoss, trainAccuracy, validationAccuracy });
    if (!redrawTimer_->isActive())
        redrawTimer_->start();
}

void TrainingPlotWidget::flush()
{
    if (drawnBatches_ == batches_.size() && drawnEpochs_ == epochs_.size()) {
        redrawTimer_->stop(); // idle until the next point
        return;
    }
    for (; drawnBatches_ < batches_.size(); ++drawnBatches_) {
        const BatchPoint& point = batches_[drawnBatches_];
        rawLoss_->addData(point.x, point.loss);
        smoothLoss_->addData(point.x, point.smoothedLoss);
        if (point.accuracy)
            batchAccuracy_->addData(point.x, *point.accuracy);
        learningRate_->addData(point.x, point.learningRate);
    }
    for (; drawnEpochs_ < epochs_.size(); ++drawnEpochs_) {
        const EpochPoint& point = epochs_[drawnEpochs_];
        trainEpochLoss_->addData(point.epoch, point.trainLoss);
        if (point.validationLoss)
            validationEpochLoss_->addData(point.epoch, *point.validationLoss);
        if (point.trainAccuracy)
            trainAccuracy_->addData(point.epoch, *point.trainAccuracy);
        if (point.validationAccuracy)
            validationAccuracy_->addData(point.epoch, *point.validationAccuracy);
    }
    if (!userMovedView_)
        rescale();
    plot_->replot(QCustomPlot::rpQueuedReplot);
    ++replots_;
}

void TrainingPlotWidget::setEpochs(int epochs)
{
    runEpochs_ = std::max(1, epochs);
    if (!userMovedView_)
        rescale();
    plot_->replot();
}

void TrainingPlotWidget::rescale()
{
    for (QCPAxisRect* rect : { lossRect_, epochLossRect_, accuracyRect_, learningRateRect_ }) {
        // All plots share the run's epoch axis, so that a batch and its epoch line up vertically.
        double lastKey = 0;
        QCPRange values;
        bool any = false;
        for (QCPGraph* graph : rect->graphs()) {
            bool found = false;
            const QCPRange keys = graph->getKeyRange(found);
            if (found)
                lastKey = std::max(lastKey, keys.upper);
            const QCPRange range = graph->getValueRange(found);
            if (!found)
                continue;
            values = any ? QCPRange(std::min(values.lower, range.lower), std::max(values.upper, range.upper)) : range;
            any = true;
        }
        rect->axis(QCPAxis::atBottom)->setRange(0, std::max({ 1.0, double(runEpochs_), std::ceil(lastKey) }));
        if (!any)
            values = QCPRange(0, 1);
        // A flat curve (a constant learning rate) gets a band around its value instead of an empty range.
        const double pad = values.size() > 0 ? values.size() * 0.08 : std::max(std::abs(values.upper) * 0.1, 1e-6);
        values = QCPRange(values.lower - pad, values.upper + pad);
        if (rect == accuracyRect_)
            values = QCPRange(std::max(0.0, values.lower), std::min(1.02, std::max(values.upper, 0.1)));
        rect->axis(QCPAxis::atLeft)->setRange(values);
    }
}

void TrainingPlotWidget::resetView()
{
    userMovedView_ = false;
    rescale();
    plot_->replot();
}

void TrainingPlotWidget::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    const int columns = width() * 10 >= height() * 26 ? 4 : 2;
    QCPLayoutGrid* grid = plot_->plotLayout();
    if (grid->wrap() == columns)
        return;
    grid->setWrap(columns);
    grid->setFillOrder(QCPLayoutGrid::foColumnsFirst, true); // re-places the plots in their order
    grid->simplify();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

bool TrainingPlotWidget::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == plot_) {
        if (event->type() == QEvent::Wheel)
            userMovedView_ = true;
        else if (event->type() == QEvent::MouseButtonDblClick)
            resetView();
        else if (event->type() == QEvent::MouseMove) {
            auto* mouse = static_cast<QMouseEvent*>(event);
            if (mouse->buttons() & Qt::LeftButton)
                userMovedView_ = true;
            else
                showValueAt(mouse->pos());
        }
    }
    return QWidget::eventFilter(watched, event);
}

void TrainingPlotWidget::showValueAt(const QPoint& position)
{
    for (QCPAxisRect* rect : { lossRect_, epochLossRect_, accuracyRect_, learningRateRect_ }) {
        if (!rect->rect().contains(position))
            continue;
        const double x = rect->axis(QCPAxis::atBottom)->pixelToCoord(position.x());
        QStringList lines;
        for (QCPGraph* graph : rect->graphs()) {
            if (graph->data()->isEmpty())
                continue;
            auto nearest = graph->data()->findBegin(x);
            if (nearest != graph->data()->constBegin()) {
                auto before = nearest - 1;
                if (nearest == graph->data()->constEnd() || std::abs(before->key - x) < std::abs(nearest->key - x))
                    nearest = before;
            }
            lines << tr("%1: %2 at epoch %3")
                         .arg(graph->name(), QString::number(nearest->value, 'g', 4),
                             QString::number(nearest->key, 'f', 2));
        }
        QToolTip::showText(plot_->mapToGlobal(position), lines.join('\n'), plot_);
        return;
    }
    QToolTip::hideText();
}

void TrainingPlotWidget::applyPalette()
{
    const QPalette colors = palette();
    plot_->setBackground(colors.brush(QPalette::Base));
    const QPen textPen(colors.color(QPalette::Text));
    const QPen gridPen(colors.color(QPalette::Mid), 0, Qt::DotLine);
    for (QCPAxisRect* rect : { lossRect_, epochLossRect_, accuracyRect_, learningRateRect_ }) {
        for (QCPAxis* axis : rect->axes()) {
            axis->setBasePen(textPen);
            axis->setTickPen(textPen);
            axis->setSubTickPen(textPen);
            axis->setTickLabelColor(colors.color(QPalette::Text));
            axis->setLabelColor(colors.color(QPalette::Text));
            axis->grid()->setPen(gridPen);
        }
        if (auto* legend = qobject_cast<QCPLegend*>(rect->insetLayout()->elementAt(0))) {
            legend->setBrush(colors.brush(QPalette::Base));
            legend->setTextColor(colors.color(QPalette::Text));
            legend->setBorderPen(QPen(colors.color(QPalette::Mid)));
        }
    }
    for (int i = 0; i < plot_->plotLayout()->elementCount(); ++i)
        if (auto* cell = qobject_cast<QCPLayoutGrid*>(plot_->plotLayout()->elementAt(i)))
            if (auto* heading = qobject_cast<QCPTextElement*>(cell->elementAt(0)))
                heading->setTextColor(colors.color(QPalette::Text));
    plot_->replot();
}

void TrainingPlotWidget::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QWidget::changeEvent(event);
}

bool TrainingPlotWidget::exportPng(const QString& path, QString* error)
{
    flush();
    if (plot_->savePng(path, std::max(plot_->width(), 800), std::max(plot_->height(), 600)))
        return true;
    if (error)
        *error = tr("Could not write %1").arg(path);
    return false;
}

bool TrainingPlotWidget::exportPdf(const QString& path, QString* error)
{
    // Vector output for papers and reports (SVG would need QtSvg, which Netdraft does not depend on).
    flush();
    if (plot_->savePdf(path, std::max(plot_->width(), 800), std::max(plot_->height(), 600)))
        return true;
    if (error)
        *error = tr("Could not write %1").arg(path);
    return false;
}

bool TrainingPlotWidget::exportCsv(const QString& path, QString* error) const
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        if (error)
            *error = tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    QTextStream out(&file);
    out << "series,epoch,loss,smoothed_loss,accuracy,learning_rate,validation_loss,validation_accuracy\n";
    for (const BatchPoint& p : batches_)
        out << "batch," << p.x << ',' << p.loss << ',' << p.smoothedLoss << ',' << fmt(p.accuracy, 8) << ','
            << p.learningRate << ",,\n";
    for (const EpochPoint& p : epochs_)
        out << "epoch," << p.epoch << ',' << p.trainLoss << ",," << fmt(p.trainAccuracy, 8) << ",,"
            << fmt(p.validationLoss, 8) << ',' << fmt(p.validationAccuracy, 8) << '\n';
    return true;
}

void TrainingPlotWidget::exportPngInteractively()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export plot"), QStringLiteral("training.png"), tr("PNG images (*.png)"));
    QString error;
    if (!path.isEmpty() && !exportPng(path, &error))
        QMessageBox::warning(this, tr("Export plot"), error);
}

void TrainingPlotWidget::exportPdfInteractively()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export plot"), QStringLiteral("training.pdf"), tr("PDF documents (*.pdf)"));
    QString error;
    if (!path.isEmpty() && !exportPdf(path, &error))
        QMessageBox::warning(this, tr("Export plot"), error);
}

void TrainingPlotWidget::exportCsvInteractively()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export curves"), QStringLiteral("training.csv"), tr("CSV files (*.csv)"));
    QString error;
    if (!path.isEmpty() && !exportCsv(path, &error))
        QMessageBox::warning(this, tr("Export curves"), error);
}

} // namespace netdraft::widgets
