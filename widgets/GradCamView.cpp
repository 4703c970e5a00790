#include "widgets/GradCamView.h"

#include "engine/insight/GradCamImage.h"
#include "widgets/BlockViewerWindow.h"
#include "widgets/BusyBar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QProgressBar>
#include <QVBoxLayout>

#include <algorithm>

namespace netdraft::widgets {

namespace {

constexpr int kGradCamPicture = 112; ///< each of a sample's two pictures, longer side

/// The sample and its overlay side by side, each enlarged to kGradCamPicture without smoothing.
QImage pictureOf(const engine::GradCamMap& map, const std::vector<int64_t>& shape)
{
    const int scale = std::max(1, kGradCamPicture / int(std::max(map.height, map.width)));
    const QImage sample = toQImage(engine::sampleRgb(map.sample.sample, shape, scale));
    const QImage overlay = toQImage(engine::gradCamOverlay(map, shape, scale));
    QImage picture(sample.width() * 2 + 4, sample.height(), QImage::Format_RGB32);
    picture.fill(Qt::white);
    QPainter painter(&picture);
    painter.drawImage(0, 0, sample);
    painter.drawImage(sample.width() + 4, 0, overlay);
    return picture;
}

} // namespace

/// What the worker works out for one request: the maps and their pictures.
struct GradCamView::Worked {
    std::vector<engine::GradCamMap> maps;
    std::vector<QImage> pictures;
};

GradCamView::GradCamView(QWidget* parent)
    : QWidget(parent, Qt::Window)
{
    setObjectName(QStringLiteral("gradCamView"));
    setWindowTitle(tr("Grad-CAM"));
    resize(900, 640);
    auto* layout = new QVBoxLayout(this);
    title_ = new QLabel;
    title_->setObjectName(QStringLiteral("gradCamTitle"));
    QFont bold = title_->font();
    bold.setBold(true);
    title_->setFont(bold);
    layout->addWidget(title_);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Explain class:")));
    classes_ = new QComboBox;
    classes_->setObjectName(QStringLiteral("gradCamClass"));
    controls->addWidget(classes_);
    controls->addSpacing(16);
    controls->addWidget(new QLabel(tr("Feature maps of:")));
    blocks_ = new QComboBox;
    blocks_->setObjectName(QStringLiteral("gradCamBlock"));
    controls->addWidget(blocks_);
    classes_->setSizeAdjustPolicy(QComboBox::AdjustToContents); // "each sample's predicted class" in full
    blocks_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    controls->addStretch(1);
    busy_ = makeBusyBar(QStringLiteral("gradCamBusy"), tr("Working out the heat maps…"));
    controls->addWidget(busy_);
    layout->addLayout(controls);
    message_ = new QLabel;
    message_->setObjectName(QStringLiteral("gradCamMessage"));
    message_->setWordWrap(true);
    layout->addWidget(message_);
    grid_ = new QListWidget;
    grid_->setObjectName(QStringLiteral("gradCamGrid"));
    grid_->setViewMode(QListView::IconMode);
    grid_->setIconSize(QSize(2 * kGradCamPicture + 4, kGradCamPicture));
    grid_->setGridSize(QSize(2 * kGradCamPicture + 24, kGradCamPicture + 56));
    grid_->setResizeMode(QListView::Adjust);
    grid_->setMovement(QListView::Static);
    grid_->setWordWrap(true);
    grid_->setSelectionMode(QAbstractItemView::NoSelection);
    layout->addWidget(grid_, 1);
    connect(
        classes_, qOverload<int>(&QComboBox::activated), this, [this] { setClass(classes_->currentData().toInt()); });
    connect(
        blocks_, qOverload<int>(&QComboBox::activated), this, [this] { setBlock(blocks_->currentData().toString()); });
    work_ = new LatestTask(this, [this](bool busy) { busy_->setVisible(busy); });
}

GradCamView::~GradCamView()
{
    work_->stop(); // the running work holds its own share of the viewer
}

void GradCamView::open(const engine::Project& project, const QString& projectDirectory, const QString& weightsPath,
    std::vector<int64_t> sampleIndexes, const QString& title)
{
    title_->setText(title);
    setMessage(tr("Loading the network and the test samples…"));
    announceLoaded_ = true;
    work_->run<std::shared_ptr<const engine::BlockViewer>>(
        [project, directory = projectDirectory.toStdString(), weights = weightsPath.toStdString()](
            const LatestTask::Cancelled&) {
            return std::shared_ptr<const engine::BlockViewer>(
                std::make_shared<engine::BlockViewer>(project, directory, weights));
        },
        [this, samples = std::move(sampleIndexes), title](
            std::optional<std::shared_ptr<const engine::BlockViewer>> viewer, const QString& failure) {
            if (viewer)
                setViewer(std::move(*viewer), samples, title);
            else
                setMessage(tr("No Grad-CAM: %1").arg(failure));
            announceIfLoaded();
        });
}

void GradCamView::setViewer(
    std::shared_ptr<const engine::BlockViewer> viewer, std::vector<int64_t> sampleIndexes, const QString& title)
{
    viewer_ = std::move(viewer);
    samples_ = std::move(sampleIndexes);
    title_->setText(title);
    setWindowTitle(tr("Grad-CAM — %1").arg(title));
    classes_->clear();
    classes_->addItem(tr("each sample's predicted class"), -1);
    for (int c = 0; c < int(viewer_->classNames().size()); ++c)
        classes_->addItem(classNameOf(*viewer_, c), c);
    blocks_->clear();
    QString defaultBlock;
    try {
        defaultBlock = QString::fromStdString(viewer_->blockLabel(engine::gradCamBlock(*viewer_)));
    } catch (const std::exception&) {
    }
    blocks_->addItem(defaultBlock.isEmpty() ? tr("the last convolution-like block")
                                            : tr("the last convolution-like block (%1)").arg(defaultBlock),
        QString());
    for (const std::string& id : viewer_->blockIds())
        blocks_->addItem(QString::fromStdString(viewer_->blockLabel(id)), QString::fromStdString(id));
    classIndex_ = -1;
    blockId_.clear();
    refresh();
}

void GradCamView::setClass(int classIndex)
{
    classIndex_ = classIndex;
    classes_->setCurrentIndex(std::max(0, classes_->findData(classIndex)));
    refresh();
}

void GradCamView::setBlock(const QString& blockId)
{
    blockId_ = blockId;
    blocks_->setCurrentIndex(std::max(0, blocks_->findData(blockId)));
    refresh();
}

int GradCamView::shownCount() const
{
    return grid_->count();
}

QString GradCamView::title() const
{
    return title_->text();
}

QString GradCamView::message() const
{
    return message_->text();
}

QImage GradCamView::picture(int row) const
{
    QListWidgetItem* item = grid_->item(row);
    return item ? item->icon().pixmap(grid_->iconSize()).toImage() : QImage();
}

bool GradCamView::busy() const
{
    return work_->busy();
}

void GradCamView::setMessage(const QString& message)
{
    work_->cancel(); // the maps being worked out are no longer wanted
    grid_->clear();
    maps_.clear();
    message_->setText(message);
}

void GradCamView::announceIfLoaded()
{
    if (announceLoaded_ && !work_->busy()) {
        announceLoaded_ = false;
        Q_EMIT loaded();
    }
}

void GradCamView::refresh()
{
    if (!viewer_)
        return;
    const std::optional<int64_t> chosen = classIndex_ < 0 ? std::nullopt : std::optional<int64_t>(classIndex_);
    work_->run<Worked>(
        [viewer = viewer_, samples = samples_, chosen, block = blockId_.toStdString()](
            const LatestTask::Cancelled& cancelled) {
            Worked worked;
            for (size_t i = 0; i < samples.size() && i < size_t(kMaxSamples) && !cancelled; ++i) {
                worked.maps.push_back(engine::gradCam(*viewer, samples[i], chosen, block));
                worked.pictures.push_back(pictureOf(worked.maps.back(), viewer->sampleShape()));
            }
            return worked;
        },
        [this](std::optional<Worked> worked, const QString& failure) {
            if (worked)
                showMaps(std::move(*worked));
            else
                setMessage(tr("No Grad-CAM: %1").arg(failure));
            announceIfLoaded();
        });
}

void GradCamView::showMaps(Worked worked)
{
    grid_->clear();
    maps_ = std::move(worked.maps);
    for (size_t i = 0; i < maps_.size(); ++i) {
        const engine::GradCamMap& map = maps_[i];
        const QString truth = QString::fromStdString(map.sample.sample.labelText);
        const QString guess = classNameOf(*viewer_, map.sample.predicted);
        auto* item = new QListWidgetItem(tr("#%1 %2 → %3 %4%\nexplains %5")
                                             .arg(map.sample.index)
                                             .arg(truth, guess)
                                             .arg(map.sample.confidence * 100, 0, 'f', 0)
                                             .arg(QString::fromStdString(map.className)));
        if (map.maximum <= 0) // the map is all zero: ReLU left nothing, which the blue alone does not say
            item->setText(item->text() + tr(": no positive evidence here"));
        item->setIcon(QIcon(QPixmap::fromImage(worked.pictures[i])));
        item->setForeground(
            map.sample.predicted != map.sample.sample.label ? QColor(0xc6, 0x28, 0x28) : QColor(0x1a, 0x7f, 0x37));
        item->setToolTip(
            tr("test sample %1: true %2, predicted %3; the heat map shows where %4's feature maps "
               "found evidence for %5 (map maximum %6)")
                .arg(map.sample.index)
                .arg(truth, guess, QString::fromStdString(map.blockLabel), QString::fromStdString(map.className))
                .arg(map.maximum, 0, 'g', 3));
        grid_->addItem(item);
    }
    QString text = maps_.empty() ? tr("No samples.")
                                 : tr("Feature maps of %1 (%2×%3×%4); left the sample, right the heat map over it: "
                                      "blue no evidence for the class, red the most.")
                                       .arg(QString::fromStdString(maps_.front().blockLabel))
                                       .arg(maps_.front().blockShape[0])
                                       .arg(maps_.front().blockShape[1])
                                       .arg(maps_.front().blockShape[2]);
    if (samples_.size() > size_t(kMaxSamples))
        text += tr(" The first %1 of %2 samples.").arg(kMaxSamples).arg(samples_.size());
    message_->setText(text);
}

} // namespace netdraft::widgets
