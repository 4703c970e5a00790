#include "widgets/BlockViewerWindow.h"

#include "widgets/BusyBar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace netdraft::widgets {

namespace {

constexpr int kSamplePicture = 160; ///< the sample's longer side on screen

} // namespace

/// What the worker works out for one request.
struct BlockViewerWindow::Shown {
    engine::ViewedSample sample;
    engine::BlockOutput output;
    QImage outputImage;
    QImage sampleImage;
};

QString classNameOf(const engine::BlockViewer& viewer, int64_t index)
{
    return QString::fromStdString(viewer.className(index));
}

QImage toQImage(const engine::RgbImage& image)
{
    if (image.empty())
        return {};
    return QImage(image.rgb.data(), image.width, image.height, image.width * 3, QImage::Format_RGB888).copy();
}

BlockViewerWindow::BlockViewerWindow(QWidget* parent)
    : QWidget(parent, Qt::Window)
{
    setObjectName(QStringLiteral("blockViewer"));
    setWindowTitle(tr("Block Output"));
    resize(900, 600);
    auto* layout = new QVBoxLayout(this);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Block:")));
    blocks_ = new QComboBox;
    blocks_->setObjectName(QStringLiteral("viewerBlock"));
    blocks_->setMinimumContentsLength(18);
    controls->addWidget(blocks_);
    controls->addSpacing(16);
    controls->addWidget(new QLabel(tr("Test sample:")));
    previous_ = new QPushButton(tr("◀ Previous"));
    previous_->setObjectName(QStringLiteral("viewerPrevious"));
    sample_ = new QSpinBox;
    sample_->setObjectName(QStringLiteral("viewerSample"));
    next_ = new QPushButton(tr("Next ▶"));
    next_->setObjectName(QStringLiteral("viewerNext"));
    controls->addWidget(previous_);
    controls->addWidget(sample_);
    controls->addWidget(next_);
    controls->addStretch(1);
    busy_ = makeBusyBar(QStringLiteral("viewerBusy"), tr("Working out the block's output…"));
    controls->addWidget(busy_);
    layout->addLayout(controls);
    weights_ = new QLabel;
    weights_->setObjectName(QStringLiteral("viewerWeights"));
    layout->addWidget(weights_);
    headline_ = new QLabel;
    headline_->setObjectName(QStringLiteral("viewerHeadline"));
    headline_->setWordWrap(true);
    headline_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = headline_->font();
    bold.setBold(true);
    headline_->setFont(bold);
    layout->addWidget(headline_);

    auto* body = new QHBoxLayout;
    auto* sampleColumn = new QVBoxLayout;
    samplePicture_ = new QLabel;
    samplePicture_->setFixedSize(kSamplePicture, kSamplePicture);
    samplePicture_->setAlignment(Qt::AlignCenter);
    sampleCaption_ = new QLabel;
    sampleCaption_->setObjectName(QStringLiteral("viewerSampleCaption"));
    sampleCaption_->setWordWrap(true);
    sampleCaption_->setFixedWidth(kSamplePicture);
    sampleColumn->addWidget(samplePicture_);
    sampleColumn->addWidget(sampleCaption_);
    sampleColumn->addStretch(1);
    body->addLayout(sampleColumn);
    auto* scroll = new QScrollArea;
    outputPicture_ = new QLabel;
    outputPicture_->setObjectName(QStringLiteral("viewerOutput"));
    outputPicture_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    scroll->setWidget(outputPicture_);
    scroll->setWidgetResizable(true);
    body->addWidget(scroll, 1);
    layout->addLayout(body, 1);

    connect(previous_, &QPushButton::clicked, this, &BlockViewerWindow::previousSample);
    connect(next_, &QPushButton::clicked, this, &BlockViewerWindow::nextSample);
    connect(sample_, qOverload<int>(&QSpinBox::valueChanged), this, [this] { refresh(); });
    connect(blocks_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        if (blocks_->currentIndex() >= 0)
            showBlock(blocks_->currentData().toString());
    });
    work_ = new LatestTask(this, [this](bool busy) { busy_->setVisible(busy); });
    setMessage(tr("Nothing to show yet."));
}

BlockViewerWindow::~BlockViewerWindow()
{
    // The running work holds its own share of the viewer; its result is not delivered.
    work_->stop();
}

void BlockViewerWindow::open(const engine::Project& project, const QString& projectDirectory,
    const QString& weightsPath, const QString& weightsText, const QString& blockId)
{
    setMessage(tr("Loading the network and the test samples…"));
    announceLoaded_ = true;
    work_->run<std::shared_ptr<const engine::BlockViewer>>(
        [project, directory = projectDirectory.toStdString(), weights = weightsPath.toStdString()](
            const LatestTask::Cancelled&) {
            return std::shared_ptr<const engine::BlockViewer>(
                std::make_shared<engine::BlockViewer>(project, directory, weights));
        },
        [this, weightsText, blockId](
            std::optional<std::shared_ptr<const engine::BlockViewer>> viewer, const QString& failure) {
            if (viewer)
                setViewer(std::move(*viewer), weightsText, blockId);
            else
                setMessage(tr("Cannot show the block's output: %1").arg(failure));
            announceIfLoaded();
        });
}

void BlockViewerWindow::setViewer(
    std::shared_ptr<const engine::BlockViewer> viewer, const QString& weightsText, const QString& blockId)
{
    viewer_ = std::move(viewer);
    weights_->setText(tr("Weights: %1").arg(weightsText));
    const QSignalBlocker blockSignals(blocks_);
    const QSignalBlocker sampleSignals(sample_);
    blocks_->clear();
    for (const std::string& id : viewer_->blockIds())
        blocks_->addItem(QString::fromStdString(viewer_->blockLabel(id)), QString::fromStdString(id));
    sample_->setRange(0, int(std::max<int64_t>(0, viewer_->testSamples() - 1)));
    sample_->setValue(0);
    sample_->setEnabled(viewer_->testSamples() > 0);
    const std::vector<std::string> ids = viewer_->blockIds();
    showBlock(blockId.isEmpty() && !ids.empty() ? QString::fromStdString(ids.front()) : blockId);
}

void BlockViewerWindow::showSample(int index)
{
    const int clamped = std::clamp(index, sample_->minimum(), sample_->maximum());
    if (clamped != sample_->value())
        sample_->setValue(clamped); // refreshes through valueChanged
    else
        refresh();
}

void BlockViewerWindow::nextSample()
{
    showSample(sample_->value() + 1);
}

void BlockViewerWindow::previousSample()
{
    showSample(sample_->value() - 1);
}

void BlockViewerWindow::showBlock(const QString& blockId)
{
    if (!viewer_)
        return;
    try {
        blockId_ = QString::fromStdString(viewer_->resolveBlock(blockId.toStdString()));
    } catch (const std::exception& error) {
        blockId_.clear();
        setMessage(QString::fromStdString(error.what()));
        return;
    }
    const QSignalBlocker blockSignals(blocks_);
    blocks_->setCurrentIndex(blocks_->findData(blockId_));
    refresh();
}

int BlockViewerWindow::sampleIndex() const
{
    return sample_->value();
}

QString BlockViewerWindow::headline() const
{
    return headline_->text();
}

QString BlockViewerWindow::sampleText() const
{
    return sampleCaption_->text();
}

bool BlockViewerWindow::busy() const
{
    return work_->busy();
}

void BlockViewerWindow::setMessage(const QString& message)
{
    work_->cancel(); // what is being worked out is no longer wanted
    output_ = {};
    outputImage_ = QImage();
    headline_->setText(message);
    outputPicture_->clear();
    previous_->setEnabled(false);
    next_->setEnabled(false);
}

void BlockViewerWindow::announceIfLoaded()
{
    if (announceLoaded_ && !work_->busy()) {
        announceLoaded_ = false;
        Q_EMIT loaded();
    }
}

void BlockViewerWindow::refresh()
{
    if (!viewer_ || blockId_.isEmpty())
        return;
    const int index = sample_->value();
    previous_->setEnabled(index > 0);
    next_->setEnabled(index + 1 < viewer_->testSamples());
    work_->run<Shown>(
        [viewer = viewer_, block = blockId_.toStdString(), index](const LatestTask::Cancelled& cancelled) {
            Shown shown;
            shown.sample = viewer->sample(index);
            if (cancelled)
                return shown; // not shown anyway
            shown.output = viewer->blockOutput(block, index);
            shown.outputImage = toQImage(engine::blockOutputImage(shown.output));
            if (viewer->images())
                shown.sampleImage
                    = toQImage(engine::sampleRgb(shown.sample.sample, viewer->sampleShape()))
                          .scaled(kSamplePicture, kSamplePicture, Qt::KeepAspectRatio, Qt::FastTransformation);
            return shown;
        },
        [this, index](std::optional<Shown> shown, const QString& failure) {
            if (shown)
                showOutput(*shown, index);
            else
                setMessage(failure);
            Q_EMIT outputShown();
            announceIfLoaded();
        });
}

void BlockViewerWindow::showOutput(const Shown& shown, int index)
{
    output_ = shown.output;
    outputImage_ = shown.outputImage;
    sampleImage_ = shown.sampleImage;
    QString caption = tr("Test sample %1 of %2").arg(index).arg(viewer_->testSamples());
    if (!shown.sample.sample.labelText.empty())
        caption += tr("\ntrue: %1").arg(QString::fromStdString(shown.sample.sample.labelText));
    if (shown.sample.predicted >= 0)
        caption += tr("\npredicted: %1 (%2 %)")
                       .arg(classNameOf(*viewer_, shown.sample.predicted))
                       .arg(shown.sample.confidence * 100, 0, 'f', 0);
    sampleCaption_->setText(caption);
    samplePicture_->setPixmap(QPixmap::fromImage(sampleImage_));
    const QString what = output_.featureMaps()
        ? tr("%1 feature maps of %2×%3, each from its lowest value (black) to its highest (white)")
              .arg(output_.shape[0])
              .arg(output_.shape[1])
              .arg(output_.shape[2])
        : tr("%1 values as bars (blue above zero, red below)").arg(output_.values.size());
    headline_->setText(tr("%1 (%2) · output %3: %4")
                           .arg(QString::fromStdString(output_.label), QString::fromStdString(output_.type),
                               QString::fromStdString(output_.shapeText()), what));
    outputPicture_->setPixmap(QPixmap::fromImage(outputImage_));
    setWindowTitle(tr("Block Output — %1").arg(QString::fromStdString(output_.label)));
}

} // namespace netdraft::widgets
