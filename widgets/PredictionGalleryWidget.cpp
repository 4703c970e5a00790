#include "widgets/PredictionGalleryWidget.h"

#include "widgets/BackgroundTask.h"
#include "widgets/GradCamView.h"
#include "widgets/SampleImage.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
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

bool isMistake(const engine::PredictedSample* sample)
{
    return sample->predicted != sample->sample.label;
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
    showAll_->setToolTip(tr("Show every test sample again, not only one confusion-matrix cell's"));
    connect(showAll_, &QPushButton::clicked, this, &PredictionGalleryWidget::showAll);
    header->addWidget(caption_, 1);
    header->addWidget(showAll_);
    layout->addLayout(header);
    grid_ = new QListWidget;
    grid_->setObjectName(QStringLiteral("predictionGrid"));
    makeThumbnailGrid(grid_, 2);
    grid_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(grid_, &QListWidget::customContextMenuRequested, this, &PredictionGalleryWidget::showGridMenu);
    connect(grid_, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem* item) {
        const int64_t index = item->data(Qt::UserRole).toLongLong();
        openGradCam({ index }, tr("test sample %1").arg(index));
    });
    layout->addWidget(grid_, 1);
    auto* pager = new QHBoxLayout;
    previous_ = new QPushButton(tr("◀ Previous"));
    previous_->setObjectName(QStringLiteral("predictionPrevious"));
    next_ = new QPushButton(tr("Next ▶"));
    next_->setObjectName(QStringLiteral("predictionNext"));
    pageLabel_ = new QLabel;
    pageLabel_->setObjectName(QStringLiteral("predictionPage"));
    pageLabel_->setAlignment(Qt::AlignCenter);
    connect(previous_, &QPushButton::clicked, this, &PredictionGalleryWidget::previousPage);
    connect(next_, &QPushButton::clicked, this, &PredictionGalleryWidget::nextPage);
    pager->addWidget(previous_);
    pager->addWidget(pageLabel_, 1);
    pager->addWidget(next_);
    layout->addLayout(pager);
    clear();
}

PredictionGalleryWidget::~PredictionGalleryWidget()
{
    if (worker_)
        worker_->wait();
}

void PredictionGalleryWidget::load(
    const engine::Project& project, const QString& projectDirectory, const QString& weightsPath)
{
    if (worker_)
        worker_->wait(); // a finished run's predictions take a second or two; newer ones replace them
    setMessage(tr("Running the trained model on the test samples…"));
    source_ = Source { project, projectDirectory, weightsPath };
    const int number = loadNumber_;
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
    ++loadNumber_;
    predictions_ = {};
    selection_.clear();
    page_ = 0;
    fillPage();
    caption_->setText(message);
    showAll_->setEnabled(false);
}

void PredictionGalleryWidget::clear()
{
    setMessage(tr("Sample predictions appear here when a run ends."));
}

void PredictionGalleryWidget::showAll()
{
    std::vector<const engine::PredictedSample*> samples;
    for (const engine::PredictedSample& sample : predictions_.samples)
        samples.push_back(&sample);
    // Mistakes first: they are what the user wants to look at.
    std::stable_sort(
        samples.begin(), samples.end(), [](const auto* a, const auto* b) { return isMistake(a) > isMistake(b); });
    const auto mistakes = std::count_if(samples.begin(), samples.end(), isMistake);
    select(std::move(samples));
    caption_->setText(tr("All %1 test samples, %2 of them wrong (shown first). Click a cell of the confusion "
                         "matrix to see its samples.")
                          .arg(selection_.size())
                          .arg(mistakes)
        + missingImagesNote());
    showAll_->setEnabled(false);
}

void PredictionGalleryWidget::showCell(int truth, int predicted)
{
    std::vector<const engine::PredictedSample*> samples;
    for (const engine::PredictedSample& sample : predictions_.samples)
        if (sample.sample.label == truth && sample.predicted == predicted)
            samples.push_back(&sample);
    select(std::move(samples));
    const QString count = selection_.size() == 1 ? tr("1 test sample") : tr("%1 test samples").arg(selection_.size());
    caption_->setText(
        tr("True %1, predicted %2: %3.").arg(className(predictions_, truth), className(predictions_, predicted), count)
        + missingImagesNote());
    showAll_->setEnabled(!predictions_.samples.empty());
}

void PredictionGalleryWidget::nextPage()
{
    if (page_ + 1 < pageCount()) {
        ++page_;
        fillPage();
    }
}

void PredictionGalleryWidget::previousPage()
{
    if (page_ > 0) {
        --page_;
        fillPage();
    }
}

int PredictionGalleryWidget::shownCount() const
{
    return grid_->count();
}

int PredictionGalleryWidget::pageCount() const
{
    return std::max(1, (selectedCount() + kPageSize - 1) / kPageSize);
}

QString PredictionGalleryWidget::pageText() const
{
    if (selection_.empty())
        return {};
    const int first = page_ * kPageSize + 1;
    return tr("%1–%2 of %3").arg(first).arg(first + shownCount() - 1).arg(selectedCount());
}

std::vector<int64_t> PredictionGalleryWidget::shownIndexes() const
{
    std::vector<int64_t> indexes;
    const int first = page_ * kPageSize;
    for (int i = first; i < first + shownCount(); ++i)
        indexes.push_back(selection_[size_t(i)]->index);
    return indexes;
}

QString PredictionGalleryWidget::caption() const
{
    return caption_->text();
}

QString PredictionGalleryWidget::missingImagesNote() const
{
    const auto kept = std::count_if(selection_.begin(), selection_.end(), [](const auto* s) { return s->kept(); });
    if (kept == int64_t(selection_.size()))
        return {};
    return tr(" %1 of %2 are shown with their input; the others are listed without it: the gallery keeps the "
              "inputs of the first %3 test samples only (%4 MB), so that a large test split fits in memory.")
        .arg(kept)
        .arg(selection_.size())
        .arg(predictions_.keptSamples)
        .arg(predictions_.maxKeptBytes >> 20);
}

GradCamView* PredictionGalleryWidget::openGradCam(std::vector<int64_t> indexes, const QString& title)
{
    if (!source_ || indexes.empty())
        return nullptr;
    auto* view = new GradCamView(this);
    view->setAttribute(Qt::WA_DeleteOnClose);
    view->open(source_->project, source_->directory, source_->weightsPath, std::move(indexes), title);
    view->show();
    return view;
}

GradCamView* PredictionGalleryWidget::openGradCamForCell(int truth, int predicted)
{
    std::vector<int64_t> indexes;
    for (const engine::PredictedSample& sample : predictions_.samples)
        if (sample.sample.label == truth && sample.predicted == predicted)
            indexes.push_back(sample.index);
    return openGradCam(std::move(indexes),
        tr("true %1, predicted %2").arg(className(predictions_, truth), className(predictions_, predicted)));
}

void PredictionGalleryWidget::showGridMenu(const QPoint& position)
{
    QListWidgetItem* item = grid_->itemAt(position);
    if (!source_ || !item)
        return;
    QMenu menu(this);
    const int64_t index = item->data(Qt::UserRole).toLongLong();
    menu.addAction(tr("Grad-CAM of Test Sample %1").arg(index), this,
        [this, index] { openGradCam({ index }, tr("test sample %1").arg(index)); });
    menu.addAction(tr("Grad-CAM of the %1 Samples Shown").arg(shownCount()), this,
        [this] { openGradCam(shownIndexes(), pageText()); });
    menu.exec(grid_->viewport()->mapToGlobal(position));
}

void PredictionGalleryWidget::select(std::vector<const engine::PredictedSample*> samples)
{
    selection_ = std::move(samples);
    page_ = 0;
    fillPage();
}

void PredictionGalleryWidget::fillPage()
{
    grid_->clear();
    const int first = page_ * kPageSize;
    const int last = std::min(selectedCount(), first + kPageSize);
    for (int i = first; i < last; ++i) {
        const engine::PredictedSample* sample = selection_[size_t(i)];
        const QString truth = className(predictions_, sample->sample.label);
        const QString guess = className(predictions_, sample->predicted);
        auto* item = new QListWidgetItem(
            QStringLiteral("%1\n→ %2 %3%").arg(truth, guess).arg(sample->confidence * 100, 0, 'f', 0));
        if (predictions_.images && sample->kept())
            item->setIcon(QIcon(QPixmap::fromImage(sampleImage(sample->sample, predictions_.sampleShape))));
        item->setForeground(isMistake(sample) ? QColor(0xc6, 0x28, 0x28) : QColor(0x1a, 0x7f, 0x37));
        item->setToolTip(tr("test sample %1: true %2, predicted %3 with %4 % confidence")
                             .arg(sample->index)
                             .arg(truth, guess)
                             .arg(sample->confidence * 100, 0, 'f', 1));
        item->setData(Qt::UserRole, qlonglong(sample->index));
        grid_->addItem(item);
    }
    pageLabel_->setText(pageText());
    previous_->setEnabled(page_ > 0);
    next_->setEnabled(page_ + 1 < pageCount());
    previous_->setVisible(pageCount() > 1);
    next_->setVisible(pageCount() > 1);
}

} // namespace netdraft::widgets
