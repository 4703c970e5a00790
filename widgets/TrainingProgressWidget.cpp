#include "widgets/TrainingProgressWidget.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace netdraft::widgets {

TrainingProgressWidget::TrainingProgressWidget(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    auto* row = new QHBoxLayout;
    bar_ = new QProgressBar(this);
    bar_->setObjectName(QStringLiteral("trainingProgress"));
    bar_->setRange(0, 1000);
    bar_->setValue(0);
    bar_->setTextVisible(true);
    bar_->setFormat(QStringLiteral("%p%"));
    row->addWidget(bar_, 1);
    buttons_ = new QHBoxLayout;
    row->addLayout(buttons_);
    layout->addLayout(row);
    details_ = new QLabel(tr("Not training"), this);
    details_->setObjectName(QStringLiteral("trainingDetails"));
    details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(details_);
}

void TrainingProgressWidget::addButtons(const QList<QAction*>& actions)
{
    for (QAction* action : actions) {
        auto* button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        buttons_->addWidget(button);
    }
}

void TrainingProgressWidget::startRun(int64_t epochs)
{
    clock_.start();
    bar_->setValue(0);
    details_->setText(tr("Preparing the data for %1 epochs…").arg(epochs));
}

void TrainingProgressWidget::setBatch(
    int64_t epoch, int64_t epochs, int64_t batch, int64_t batchesPerEpoch, double samplesPerSecond)
{
    const double total = double(std::max<int64_t>(1, epochs * batchesPerEpoch));
    const double done = double((epoch - 1) * batchesPerEpoch + batch);
    bar_->setValue(int(1000 * done / total));
    // The pace of the whole run so far; the first batches include warm-up and over-estimate.
    const double elapsed = clock_.isValid() ? clock_.elapsed() / 1000.0 : 0;
    const double secondsLeft = done > 0 ? elapsed / done * (total - done) : -1;
    const QLocale locale;
    details_->setText(tr("Epoch %1/%2 · batch %3/%4 · %5 samples/s · ETA %6")
                          .arg(epoch)
                          .arg(epochs)
                          .arg(batch)
                          .arg(batchesPerEpoch)
                          .arg(locale.toString(samplesPerSecond, 'f', 0))
                          .arg(secondsLeft >= 0 ? formatDuration(secondsLeft) : QStringLiteral("–")));
}

void TrainingProgressWidget::setStatus(const QString& text)
{
    details_->setText(text);
}
void TrainingProgressWidget::showIdle(const QString& text, double fraction)
{
    clock_.invalidate();
    bar_->setValue(int(1000 * std::clamp(fraction, 0.0, 1.0)));
    details_->setText(text);
}

QString TrainingProgressWidget::statusText() const
{
    return details_->text();
}

QString TrainingProgressWidget::formatDuration(double seconds)
{
    const auto total = static_cast<long long>(seconds + 0.5);
    const long long hours = total / 3600, minutes = total / 60 % 60, rest = total % 60;
    if (hours > 0)
        return QStringLiteral("%1:%2:%3").arg(hours).arg(minutes, 2, 10, QChar('0')).arg(rest, 2, 10, QChar('0'));
    return QStringLiteral("%1:%2").arg(minutes).arg(rest, 2, 10, QChar('0'));
}

} // namespace netdraft::widgets
