#include "editor/CostOverlay.h"

#include "editor/BlockItem.h"
#include "editor/GraphScene.h"

#include <QEvent>
#include <QFontMetricsF>
#include <QGraphicsView>
#include <QLinearGradient>
#include <QPainter>
#include <QWidget>

#include <algorithm>
#include <cmath>

namespace netdraft::editor {
namespace {

/// The colour ramp: pale yellow, orange, red (light enough for the dark text on the card).
const QColor kRamp[] = { QColor(0xFE, 0xF9, 0xC3), QColor(0xFD, 0xBA, 0x74), QColor(0xF8, 0x71, 0x71) };

/// A ramp from 0 to the largest figure, with the metric's name.
class CostLegend : public QWidget {
public:
    explicit CostLegend(QWidget* parent)
        : QWidget(parent)
    {
        setObjectName(QStringLiteral("costLegend"));
        setAttribute(Qt::WA_TransparentForMouseEvents);
        setFixedSize(220, 46);
    }
    void show(const QString& title, const QString& largest) { showText(title, largest, QString()); }
    /// A title and, instead of the ramp, why there is nothing to colour by.
    void showMessage(const QString& title, const QString& message) { showText(title, QString(), message); }
    QString text() const { return title_ + QLatin1Char(' ') + (message_.isEmpty() ? largest_ : message_); }

private:
    void showText(const QString& title, const QString& largest, const QString& message)
    {
        title_ = title;
        largest_ = largest;
        message_ = message;
        QFont titleFont = font();
        titleFont.setPointSizeF(8);
        QFont messageFont = font();
        messageFont.setPointSizeF(7);
        const double widest = std::max(QFontMetricsF(titleFont).horizontalAdvance(title_),
            QFontMetricsF(messageFont).horizontalAdvance(message_) / 2 + 40); // the message takes two lines
        setFixedWidth(std::clamp(int(std::ceil(widest)) + 20, 220, 480));
        update();
        setVisible(true);
    }

public:
protected:
    void paintEvent(QPaintEvent*) override
    {
        QPainter painter(this);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QColor(0xCB, 0xD5, 0xE1));
        painter.setBrush(QColor(255, 255, 255, 235));
        painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 5, 5);
        painter.setPen(QColor(0x0F, 0x17, 0x2A));
        QFont font = painter.font();
        font.setPointSizeF(8);
        painter.setFont(font);
        painter.drawText(QRect(8, 3, width() - 16, 16), Qt::AlignLeft | Qt::AlignVCenter, title_);
        if (!message_.isEmpty()) {
            font.setPointSizeF(7);
            painter.setFont(font);
            painter.setPen(QColor(0x47, 0x55, 0x69));
            painter.drawText(
                QRect(8, 19, width() - 16, 25), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, message_);
            return;
        }
        const QRect bar(8, 21, width() - 16, 9);
        QLinearGradient gradient(bar.topLeft(), bar.topRight());
        for (int i = 0; i <= 10; ++i)
            gradient.setColorAt(i / 10.0, CostOverlay::colorFor(i / 10.0));
        painter.setPen(QColor(0x94, 0xA3, 0xB8));
        painter.setBrush(gradient);
        painter.drawRect(bar);
        font.setPointSizeF(7);
        painter.setFont(font);
        painter.setPen(QColor(0x47, 0x55, 0x69));
        const QRect labels(8, 31, width() - 16, 13);
        painter.drawText(labels, Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("0"));
        painter.drawText(labels, Qt::AlignRight | Qt::AlignVCenter, largest_);
    }

private:
    QString title_;
    QString largest_;
    QString message_;
};

QString toolTipLines(const CanvasBlockCost& figures, const CostReport& report)
{
    QString lines = QStringLiteral("<br>%1 parameters · %2 MACs per sample<br>activations %3 at batch size %4")
                        .arg(formatMetric(figures.parameters, CostMetric::Parameters),
                            formatMetric(figures.multiplyAccumulates, CostMetric::MultiplyAccumulates),
                            formatMetric(figures.activationBytes, CostMetric::Memory))
                        .arg(report.cost.memory.batchSize);
    if (figures.timed && report.profiledMs > 0)
        lines += CostOverlay::tr("<br>time %1 ms per batch (forward %2 + backward %3), %4 % of the pass")
                     .arg(figures.timeMs(), 0, 'f', 3)
                     .arg(figures.forwardMs, 0, 'f', 3)
                     .arg(figures.backwardMs, 0, 'f', 3)
                     .arg(100 * figures.timeMs() / report.profiledMs, 0, 'f', 1);
    return lines;
}

/// Why the Time overlay has nothing to show, or empty when the profile is current.
QString missingTimeText(ProfileState state)
{
    switch (state) {
    case ProfileState::None:
        return CostOverlay::tr("No profile yet: Profile in the Cost panel measures each block's time.");
    case ProfileState::Stale:
        return CostOverlay::tr("The profile is out of date (the design, batch size or device changed): "
                               "Profile again in the Cost panel.");
    case ProfileState::Current:
        break;
    }
    return {};
}

} // namespace

CostOverlay::CostOverlay(GraphScene& scene, CostAnalysis& analysis, QGraphicsView* view, QObject* parent)
    : QObject(parent)
    , scene_(scene)
    , analysis_(analysis)
    , view_(view)
    , legend_(new CostLegend(view->viewport()))
{
    legend_->hide();
    view_->viewport()->installEventFilter(this);
    connect(&analysis_, &CostAnalysis::updated, this, &CostOverlay::apply);
    // Items are made again after a reset or another scope, and added with new blocks.
    connect(&scene_.document(), &GraphDocument::projectReset, this, &CostOverlay::apply);
    connect(&scene_.document(), &GraphDocument::blockAdded, this, &CostOverlay::apply);
}

QColor CostOverlay::colorFor(double fraction)
{
    const double position = std::clamp(fraction, 0.0, 1.0) * 2;
    const int segment = std::min(static_cast<int>(position), 1);
    const double t = position - segment;
    const QColor& from = kRamp[segment];
    const QColor& to = kRamp[segment + 1];
    auto mix = [t](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * t)); };
    return QColor(mix(from.red(), to.red()), mix(from.green(), to.green()), mix(from.blue(), to.blue()));
}

void CostOverlay::setMetric(std::optional<CostMetric> metric)
{
    metric_ = metric;
    apply();
}

void CostOverlay::apply()
{
    const engine::Graph& graph = scene_.document().graph();
    // Inside an open composite the figures are one instance's: the tooltips say which.
    const QString& scope = scene_.document().scope();
    const QString instanceLine = scope.isEmpty()
        ? QString()
        : tr("<br>in instance %1 of %2").arg(QString::fromStdString(analysis_.report().scopeInstance), scope);
    const CostReport& report = analysis_.report();
    // Time without a current profile colours nothing; the legend says why.
    const bool untimed = metric_ == CostMetric::Time && report.profile != ProfileState::Current;
    const std::optional<CostMetric> colouring = untimed ? std::nullopt : metric_;
    int64_t largest = 0;
    if (colouring)
        for (const engine::Block& block : graph.blocks())
            if (const CanvasBlockCost* figures = analysis_.blockCost(QString::fromStdString(block.id)))
                largest = std::max(largest, metricValue(*figures, *colouring));
    for (const engine::Block& block : graph.blocks()) {
        const QString id = QString::fromStdString(block.id);
        BlockItem* item = scene_.blockItem(id);
        if (!item)
            continue;
        const CanvasBlockCost* figures = analysis_.blockCost(id);
        if (!figures) {
            item->setCost({}, {}, {});
            item->setParameterFigure({}, {});
            continue;
        }
        QStringList warnings;
        for (const std::string& warning : figures->warnings)
            warnings << QString::fromStdString(warning);
        item->setParameterFigure(figures->parameters > 0
                ? tr("%1 params").arg(formatMetric(figures->parameters, CostMetric::Parameters))
                : QString(),
            warnings);
        QColor tint;
        QString figure;
        if (colouring) {
            const int64_t value = metricValue(*figures, *colouring);
            // Square root: figures span orders of magnitude, and small ones should still show.
            tint = value > 0 && largest > 0 ? colorFor(std::sqrt(double(value) / double(largest))) : QColor(Qt::white);
            figure = value > 0 ? formatMetric(value, *colouring) : QString();
        }
        item->setCost(toolTipLines(*figures, report) + instanceLine, tint, figure);
    }
    auto* legend = static_cast<CostLegend*>(legend_);
    if (!metric_ || !report.counted() || report.scope != scope.toStdString()) {
        legend->hide();
        return;
    }
    const QString what = metric_ == CostMetric::Time
        ? (untimed ? tr("time")
                   : tr("time (ms per batch of %1 on %2)")
                         .arg(report.profiledBatchSize)
                         .arg(QString::fromStdString(report.profiledDevice)))
        : metricName(*metric_);
    const QString title = scope.isEmpty()
        ? tr("Cost overlay: %1 per block").arg(what)
        : tr("Cost overlay: %1 per block in %2").arg(what, QString::fromStdString(report.scopeInstance));
    if (untimed)
        legend->showMessage(title, missingTimeText(report.profile));
    else
        legend->show(title, formatMetric(largest, *metric_));
    placeLegend();
}

QString CostOverlay::legendText() const
{
    return legend_->isVisible() ? static_cast<const CostLegend*>(legend_)->text() : QString();
}

bool CostOverlay::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == view_->viewport() && event->type() == QEvent::Resize)
        placeLegend();
    return QObject::eventFilter(watched, event);
}

void CostOverlay::placeLegend()
{
    legend_->move(10, view_->viewport()->height() - legend_->height() - 10);
    legend_->raise();
}

} // namespace netdraft::editor
