#pragma once
// The viewer on a block (issue 20, like Blender's viewer node): a window with a test sample and what one
// block of the network gives for it — feature maps as a grid of grey tiles, a vector as a bar chart —
// with the block's name and shape, a sample chooser (index, previous, next) and a block chooser.

#include "engine/insight/BlockViewer.h"
#include "engine/insight/BlockViewerImage.h"

#include <QImage>
#include <QPointer>
#include <QThread>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace netdraft::widgets {

/// `image` as a QImage of its own (a copy).
QImage toQImage(const engine::RgbImage& image);
/// The name of class `index` of the viewer's data, or the number when it has no name.
QString classNameOf(const engine::BlockViewer& viewer, int64_t index);

class BlockViewerWindow : public QWidget {
    Q_OBJECT
public:
    explicit BlockViewerWindow(QWidget* parent = nullptr);
    ~BlockViewerWindow() override;

    /// Loads the project's network with `weightsPath` (empty: its starting weights; `weightsText` says
    /// which, for the user) and its test data on a worker thread, then shows block `blockId`, sample 0.
    void open(const engine::Project& project, const QString& projectDirectory, const QString& weightsPath,
        const QString& weightsText, const QString& blockId);
    /// Shows block `blockId` of an already loaded viewer, sample 0.
    void setViewer(
        std::shared_ptr<const engine::BlockViewer> viewer, const QString& weightsText, const QString& blockId);

    void showSample(int index);
    void nextSample();
    void previousSample();
    void showBlock(const QString& blockId);

    int sampleIndex() const;
    QString blockId() const { return blockId_; }
    /// "conv1 (Conv2d) · 32×32×32: 32 feature maps …", or why nothing is shown.
    QString headline() const;
    QString sampleText() const;
    /// What the window draws: the grid or the bar chart, the sample's picture.
    const QImage& outputImage() const { return outputImage_; }
    const QImage& sampleImage() const { return sampleImage_; }
    const engine::BlockOutput& output() const { return output_; }
    QComboBox* blockChooser() const { return blocks_; }

Q_SIGNALS:
    /// open() finished, with a viewer or a message.
    void loaded();

private:
    void refresh();
    void setMessage(const QString& message);

    std::shared_ptr<const engine::BlockViewer> viewer_;
    QString blockId_;
    engine::BlockOutput output_;
    QImage outputImage_;
    QImage sampleImage_;
    QLabel* headline_ = nullptr;
    QLabel* weights_ = nullptr;
    QComboBox* blocks_ = nullptr;
    QSpinBox* sample_ = nullptr;
    QPushButton* previous_ = nullptr;
    QPushButton* next_ = nullptr;
    QLabel* samplePicture_ = nullptr;
    QLabel* sampleCaption_ = nullptr;
    QLabel* outputPicture_ = nullptr;
    QPointer<QThread> worker_;
};

} // namespace netdraft::widgets
