#include "widgets/PredictionGalleryWidget.h"

#include "widgets/BackgroundTask.h"
#include "widgets/SampleImage.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace netdraft::widgets {

namespace {

QString className(const engine::TestPredictions& predictions, int64_t index)
{
    return index >= 0 && index < static_cast<int64_t>(predictions.classNames.size())
        ? QString::fromStdString(predictions.classNames[static_cast<size_t>(index)])
        : QString::number(index);
}

} // namespace

PredictionGalleryWidget::PredictionGalleryWidget(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* header = new QHBoxLayout;
    caption_ = new QLabel;
    caption_->setObjectName(QStringLiteral("predictionCaption"));
    caption_->setWordWrap(true);
    showAll_ = new QPushButton(tr("Show All"));
    showAll_->setToolTip(tr("Show samples of every confusion-matrix cell again"));
    connect(showAll_, &QPushButton::clicked, this, &PredictionGalleryWidget::showAll);
    header->addWidget(caption_, 1);
    header->addWidget(showAll_);
    layout->addLayout(header);
    grid_ = new QListWidget;
    grid_->setObjectName(QStringLiteral("predictionGrid"));
    makeThumbnailGrid(grid_, 2);
    layout->addWidget(grid_, 1);
    clear();
}

PredictionGalleryWidget::~PredictionGalleryWidget()
{
    if (worker_)
        worker_->wait();
}

void PredictionGalleryWidget::load(const engine::Project& project, const QString& projectDirectory,
                                   const QString& weightsPath)
{
    if (worker_)
        worker_->wait(); // a finished run's predictions take a second or two; newer ones replace them
    const int number = ++loadNumber_;
    setMessage(tr("Running the trained model on the test samples…"));
    worker_ = startBackgroundTask<engine::TestPredictions>(
        this,
        [project, directory = projectDirectory.toStdString(), weights = weightsPath.toStdString()] {
            return engine::predictTestSamples(project, directory, weights);
        },
        [this, number](std::optional<engine::TestPredictions> predictions, const QString& failure) {
            if (number != loadNumber_)
                return;
            if (predictions)
                setPredictions(std::move(*predictions));
            else
                setMessage(tr("No sample predictions: %1").arg(failure));
            Q_EMIT loaded();
        });
}

void PredictionGalleryWidget::setPredictions(engine::TestPredictions predictions)
{
    predictions_ = std::move(predictions);
    showAll();
}

void PredictionGalleryWidget::setMessage(const QString& message)
{
    predictions_ = {};
    grid_->clear();
    caption_->setText(message);
    showAll_->setEnabled(false);
}

void PredictionGalleryWidget::clear() { setMessage(tr("Sample predictions appear here when a run ends.")); }

void PredictionGalleryWidget::showAll()
{
    std::vector<const engine::PredictedSample*> samples;
    for (const engine::PredictedSample& sample : predictions_.samples)
        samples.push_back(&sample);
    // Mistakes first: they are what the user wants to look at.
    std::stable_sort(samples.begin(), samples.end(), [](const auto* a, const auto* b) {
        return (a->predicted != a->sample.label) > (b->predicted != b->sample.label);
    });
    const auto mistakes = std::count_if(samples.begin(), samples.end(),
        [](const auto* s) { return s->predicted != s->sample.label; });
    fill(samples);
    caption_->setText(tr("%1 test samples (of %2), %3 of them wrong, shown first. Click a cell of the confusion "
                         "matrix to see its samples.")
                          .arg(samples.size())
                          .arg(predictions_.testSamples)
                          .arg(mistakes));
    showAll_->setEnabled(false);
}

void PredictionGalleryWidget::showCell(int truth, int predicted)
{
    std::vector<const engine::PredictedSample*> samples;
    for (const engine::PredictedSample& sample : predictions_.samples)
        if (sample.sample.label == truth && sample.predicted == predicted)
            samples.push_back(&sample);
    fill(samples);
    caption_->setText(tr("True %1, predicted %2: %n sample(s) shown", "", int(samples.size()))
                          .arg(className(predictions_, truth), className(predictions_, predicted)));
    showAll_->setEnabled(true);
}

int PredictionGalleryWidget::shownCount() const { return grid_->count(); }

QString PredictionGalleryWidget::caption() const { return caption_->text(); }

void PredictionGalleryWidget::fill(const std::vector<const engine::PredictedSample*>& samples)
{
    grid_->clear();
    for (const engine::PredictedSample* sample : samples) {
        const bool right = sample->predicted == sample->sample.label;
        const QString text = QStringLiteral("%1\n→ %2 %3%")
                                 .arg(className(predictions_, sample->sample.label),
                                     className(predictions_, sample->predicted))
                                 .arg(sample->confidence * 100, 0, 'f', 0);
        auto* item = new QListWidgetItem(text);
        if (predictions_.images)
            item->setIcon(QIcon(QPixmap::fromImage(sampleImage(sample->sample, predictions_.sampleShape))));
        item->setForeground(right ? QColor(0x1a, 0x7f, 0x37) : QColor(0xc6, 0x28, 0x28));
        item->setToolTip(tr("true %1, predicted %2 with %3 % confidence")
                             .arg(className(predictions_, sample->sample.label),
                                 className(predictions_, sample->predicted))
                             .arg(sample->confidence * 100, 0, 'f', 1));
        grid_->addItem(item);
    }
}

} // namespace netdraft::widgets
