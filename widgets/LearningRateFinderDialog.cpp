#include "widgets/LearningRateFinderDialog.h"

#include "widgets/BackgroundTask.h"
#include "widgets/QCustomPlotInclude.h"

#include <QDialogButtonBox>
#include <QDoubleValidator>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace netdraft::widgets {

namespace {

QString rateText(double rate)
{
    return QString::number(rate, 'g', 3);
}

QLineEdit* rateEdit(double value, QWidget* parent)
{
    auto* edit = new QLineEdit(rateText(value), parent);
    auto* validator = new QDoubleValidator(1e-12, 1e6, 12, edit);
    validator->setNotation(QDoubleValidator::ScientificNotation);
    edit->setValidator(validator);
    edit->setMaximumWidth(110);
    return edit;
}

} // namespace

LearningRateFinderDialog::LearningRateFinderDialog(engine::Project snapshot, QString projectDirectory, QWidget* parent)
    : QDialog(parent)
    , snapshot_(std::move(snapshot))
    , projectDirectory_(std::move(projectDirectory))
    , stop_(std::make_shared<std::atomic<bool>>(false))
{
    setWindowTitle(tr("Find Learning Rate"));
    setObjectName(QStringLiteral("learningRateFinderDialog"));
    const engine::LearningRateFinderOptions defaults;

    auto* options = new QHBoxLayout;
    minimumRate_ = rateEdit(defaults.minimumRate, this);
    maximumRate_ = rateEdit(defaults.maximumRate, this);
    minimumRate_->setObjectName(QStringLiteral("minimumRate"));
    maximumRate_->setObjectName(QStringLiteral("maximumRate"));
    batches_ = new QSpinBox(this);
    batches_->setRange(2, 10000);
    batches_->setValue(static_cast<int>(defaults.batches));
    batches_->setToolTip(tr("Steps of the sweep, at most one pass over the training data"));
    options->addWidget(new QLabel(tr("From"), this));
    options->addWidget(minimumRate_);
    options->addWidget(new QLabel(tr("to"), this));
    options->addWidget(maximumRate_);
    options->addWidget(new QLabel(tr("over"), this));
    options->addWidget(batches_);
    options->addWidget(
        new QLabel(tr("batches with %1").arg(QString::fromStdString(snapshot_.training.optimizer)), this));
    options->addStretch();
    runButton_ = new QPushButton(tr("&Run"), this);
    cancelButton_ = new QPushButton(tr("&Cancel Sweep"), this);
    options->addWidget(runButton_);
    options->addWidget(cancelButton_);

    progress_ = new QProgressBar(this);
    progress_->setFormat(tr("%v of %m batches"));
    progress_->setRange(0, 1);
    progress_->setValue(0);

    plot_ = new QCustomPlot(this);
    plot_->setMinimumSize(560, 320);
    plot_->xAxis->setScaleType(QCPAxis::stLogarithmic);
    plot_->xAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    plot_->xAxis->setNumberFormat(QStringLiteral("eb"));
    plot_->xAxis->setNumberPrecision(0);
    plot_->xAxis->setLabel(tr("learning rate (log scale)"));
    plot_->yAxis->setLabel(tr("training loss"));
    plot_->addGraph(); // 0: each batch's loss
    plot_->graph(0)->setName(tr("loss per batch"));
    plot_->graph(0)->setPen(QPen(QColor(150, 170, 200), 1));
    plot_->graph(0)->setLineStyle(QCPGraph::lsNone);
    plot_->graph(0)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 3));
    plot_->addGraph(); // 1: the smoothed loss
    plot_->graph(1)->setName(tr("smoothed loss"));
    plot_->graph(1)->setPen(QPen(QColor(30, 90, 180), 2));
    plot_->legend->setVisible(true);
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    marker_ = new QCPItemStraightLine(plot_);
    marker_->setPen(QPen(QColor(200, 60, 40), 1.5, Qt::DashLine));
    marker_->setVisible(false);
    markerLabel_ = new QCPItemText(plot_);
    markerLabel_->setColor(QColor(200, 60, 40));
    markerLabel_->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    markerLabel_->setPadding(QMargins(4, 2, 4, 2));
    markerLabel_->setVisible(false);

    summary_ = new QLabel(tr("The rate grows exponentially, one step per batch, on a copy of the model; the "
                             "project's weights and settings do not change."),
        this);
    summary_->setWordWrap(true);
    summary_->setObjectName(QStringLiteral("learningRateSummary"));

    auto* applyRow = new QHBoxLayout;
    rateToApply_ = rateEdit(snapshot_.training.learningRate, this);
    rateToApply_->setObjectName(QStringLiteral("rateToApply"));
    applyButton_ = new QPushButton(tr("&Apply"), this);
    applyButton_->setToolTip(tr("Set the project's learning rate to this value (Edit ▸ Undo restores it)"));
    applyButton_->setEnabled(false);
    applyRow->addWidget(new QLabel(
        tr("Learning rate to apply (the project's is %1):").arg(rateText(snapshot_.training.learningRate)), this));
    applyRow->addWidget(rateToApply_);
    applyRow->addWidget(applyButton_);
    applyRow->addStretch();
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(options);
    layout->addWidget(progress_);
    layout->addWidget(plot_, 1);
    layout->addWidget(summary_);
    layout->addLayout(applyRow);
    layout->addWidget(close);

    connect(runButton_, &QPushButton::clicked, this, &LearningRateFinderDialog::start);
    connect(cancelButton_, &QPushButton::clicked, this, &LearningRateFinderDialog::cancel);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(applyButton_, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const double rate = rateToApply_->text().toDouble(&ok);
        if (!ok || !(rate > 0))
            return;
        Q_EMIT applyRequested(rate);
        accept();
    });
    setRunning(false);
}

LearningRateFinderDialog::~LearningRateFinderDialog()
{
    if (thread_) {
        stop_->store(true);
        thread_->wait();
    }
}

void LearningRateFinderDialog::reject()
{
    if (thread_) { // Close while sweeping: stop first, so that the worker never outlives the dialog
        stop_->store(true);
        thread_->wait();
    }
    QDialog::reject();
}

void LearningRateFinderDialog::setRunning(bool running)
{
    runButton_->setEnabled(!running);
    cancelButton_->setEnabled(running);
    minimumRate_->setEnabled(!running);
    maximumRate_->setEnabled(!running);
    batches_->setEnabled(!running);
    applyButton_->setEnabled(!running && finding_ && finding_->suggestedRate);
}

void LearningRateFinderDialog::start()
{
    if (thread_)
        return;
    engine::LearningRateFinderOptions options;
    options.minimumRate = minimumRate_->text().toDouble();
    options.maximumRate = maximumRate_->text().toDouble();
    options.batches = batches_->value();
    try {
        options.check();
    } catch (const std::exception& error) {
        summary_->setText(QString::fromStdString(error.what()));
        Q_EMIT sweepFinished(summary_->text());
        return;
    }
    finding_.reset();
    plot_->graph(0)->data()->clear();
    plot_->graph(1)->data()->clear();
    marker_->setVisible(false);
    markerLabel_->setVisible(false);
    plot_->xAxis->setRange(options.minimumRate, options.maximumRate);
    plot_->replot();
    progress_->setRange(0, static_cast<int>(options.batches));
    progress_->setValue(0);
    summary_->setText(tr("Preparing the data…"));
    stop_->store(false);
    setRunning(true);

    QPointer<LearningRateFinderDialog> self(this);
    engine::LearningRateFinderCallbacks callbacks;
    callbacks.stopRequested = [stop = stop_] { return stop->load(); };
    callbacks.onPoint = [self](const engine::LearningRatePoint& point, int64_t done, int64_t planned) {
        QMetaObject::invokeMethod(
            self.data(),
            [self, point, done, planned] {
                if (self)
                    self->addPoint(point, done, planned);
            },
            Qt::QueuedConnection);
    };
    const engine::Project snapshot = snapshot_;
    const std::string directory = projectDirectory_.toStdString();
    thread_ = startBackgroundTask<engine::LearningRateFinding>(
        this,
        [snapshot, directory, options, callbacks] {
            return engine::findLearningRate(snapshot, directory, options, callbacks);
        },
        [this](
            std::optional<engine::LearningRateFinding> finding, QString error) { finish(std::move(finding), error); });
}

void LearningRateFinderDialog::cancel()
{
    stop_->store(true);
    summary_->setText(tr("Stopping after this batch…"));
}

void LearningRateFinderDialog::addPoint(const engine::LearningRatePoint& point, qint64 done, qint64 planned)
{
    progress_->setRange(0, static_cast<int>(planned));
    progress_->setValue(static_cast<int>(done));
    plot_->graph(0)->addData(point.learningRate, point.loss);
    plot_->graph(1)->addData(point.learningRate, point.smoothedLoss);
    summary_->setText(tr("Batch %1 of %2: learning rate %3, loss %4")
                          .arg(done)
                          .arg(planned)
                          .arg(rateText(point.learningRate))
                          .arg(point.loss, 0, 'g', 4));
    plot_->graph(1)->rescaleValueAxis(false);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void LearningRateFinderDialog::finish(std::optional<engine::LearningRateFinding> finding, const QString& error)
{
    if (thread_)
        thread_->wait();
    thread_ = nullptr;
    if (!finding) {
        summary_->setText(tr("The sweep failed: %1").arg(error));
        setRunning(false);
        Q_EMIT sweepFinished(error.isEmpty() ? tr("failed") : error);
        return;
    }
    finding_ = std::move(finding);
    // The whole curve again (the queued points may still be on their way).
    plot_->graph(0)->data()->clear();
    plot_->graph(1)->data()->clear();
    for (const engine::LearningRatePoint& point : finding_->points) {
        plot_->graph(0)->addData(point.learningRate, point.loss);
        plot_->graph(1)->addData(point.learningRate, point.smoothedLoss);
    }
    progress_->setValue(static_cast<int>(finding_->points.size()));
    showSuggestion();
    setRunning(false);
    Q_EMIT sweepFinished(QString());
}

void LearningRateFinderDialog::showSuggestion()
{
    const engine::LearningRateFinding& finding = *finding_;
    // The value axis shows the smoothed curve up to a little past its minimum's start, not the blow-up.
    if (!finding.points.empty()) {
        double low = finding.points.front().smoothedLoss;
        double high = low;
        for (const engine::LearningRatePoint& point : finding.points) {
            low = std::min(low, point.smoothedLoss);
            high = std::max(high, std::min(point.smoothedLoss, 2.0 * finding.points.front().smoothedLoss));
        }
        plot_->yAxis->setRange(low - 0.05 * (high - low + 1e-9), high + 0.1 * (high - low + 1e-9));
    }
    QString text;
    if (finding.stopped)
        text = tr("Cancelled after %1 batches. ").arg(finding.points.size());
    else if (finding.diverged)
        text = tr("The loss exploded at %1 after %2 of %3 batches. ")
                   .arg(rateText(finding.points.empty() ? 0.0 : finding.points.back().learningRate))
                   .arg(finding.points.size())
                   .arg(finding.batchesPlanned);
    if (finding.suggestedRate) {
        const double rate = *finding.suggestedRate;
        marker_->point1->setCoords(rate, 0);
        marker_->point2->setCoords(rate, 1);
        marker_->setVisible(true);
        markerLabel_->position->setType(QCPItemPosition::ptPlotCoords);
        markerLabel_->position->setCoords(rate, plot_->yAxis->range().upper);
        markerLabel_->setText(tr("suggested %1").arg(rateText(rate)));
        markerLabel_->setVisible(true);
        rateToApply_->setText(rateText(rate));
        text += tr("Suggested learning rate: %1 (%2). Lowest smoothed loss at %3.")
                    .arg(rateText(rate), QString::fromUtf8(engine::kLearningRateSuggestionRule),
                        rateText(finding.minimumLossRate));
    } else {
        text += tr("No suggestion: %1.").arg(QString::fromStdString(finding.noSuggestion));
    }
    summary_->setText(text);
    plot_->replot();
}

} // namespace netdraft::widgets
