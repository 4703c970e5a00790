#pragma once
// The viewer on a block (issue 20, like Blender's viewer node): a window with a test sample and what one
// block of the network gives for it — feature maps as a grid of grey tiles, a vector as a bar chart —
// with the block's name and shape, a sample chooser (index, previous, next) and a block chooser.
// Loading and each output are worked out on a worker thread (LatestTask: one at a time, the newest
// request next, those in between skipped), with a busy bar meanwhile; closing waits for the one running.

#include "engine/insight/BlockViewer.h"
#include "engine/insight/BlockViewerImage.h"
#include "widgets/LatestTask.h"

#include <QImage>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QProgressBar;
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
    /// An output (or the loading) is being worked out; the busy bar shows meanwhile.
    bool busy() const;
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
    /// open() finished, with the first output shown or a message.
    void loaded();
    /// The output asked for last is shown (or why it cannot be).
    void outputShown();

private:
    struct Shown;
    /// Asks for the output of the block and sample chosen; it is worked out on the worker thread.
    void refresh();
    void showOutput(const Shown& shown, int index);
    void setMessage(const QString& message);
    /// Emits loaded() once after open() when nothing is left to work out.
    void announceIfLoaded();

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
    QProgressBar* busy_ = nullptr;
    LatestTask* work_ = nullptr;
    bool announceLoaded_ = false;
};

} // namespace netdraft::widgets
