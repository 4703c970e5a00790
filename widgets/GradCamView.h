#pragma once
// Grad-CAM heat maps of test samples (issue 20): for each sample its picture and the heat map laid over
// it (blue: no evidence for the class, red: the most), captioned with its true and predicted class. Opened
// from the prediction gallery (one sample, or the page shown) and from a confusion-matrix cell (that
// cell's samples); the class explained (the predicted one by default) and the block can be chosen.
// The maps are worked out on a worker thread (LatestTask) with a busy bar meanwhile; a new choice
// cancels the maps still being worked out, and closing the window waits only for the sample running.

#include "engine/insight/GradCam.h"
#include "widgets/LatestTask.h"

#include <QWidget>

#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QListWidget;
class QProgressBar;

namespace netdraft::widgets {

class GradCamView : public QWidget {
    Q_OBJECT
public:
    /// At most this many samples are worked out (a cell of hundreds shows its first ones).
    static constexpr int kMaxSamples = 48;

    explicit GradCamView(QWidget* parent = nullptr);
    ~GradCamView() override;

    /// Loads the project's network with the weights and its test data on a worker thread, then shows
    /// the Grad-CAM of the test samples `sampleIndexes` under `title`.
    void open(const engine::Project& project, const QString& projectDirectory, const QString& weightsPath,
        std::vector<int64_t> sampleIndexes, const QString& title);
    void setViewer(
        std::shared_ptr<const engine::BlockViewer> viewer, std::vector<int64_t> sampleIndexes, const QString& title);

    /// Explains class `classIndex` for every sample; -1: each sample's predicted class.
    void setClass(int classIndex);
    /// Weighs block `blockId`'s feature maps; empty: the last convolution-like block.
    void setBlock(const QString& blockId);

    const std::vector<engine::GradCamMap>& maps() const { return maps_; }
    int shownCount() const;
    QString title() const;
    /// Above the maps: which block and class, or why there are no maps.
    QString message() const;
    /// The pictures shown for sample `row` (its input and the overlay side by side).
    QImage picture(int row) const;
    /// Maps (or the loading) are being worked out; the busy bar shows meanwhile.
    bool busy() const;

Q_SIGNALS:
    /// open() finished: its first maps are shown, or why there are none.
    void loaded();

private:
    struct Worked;
    /// Asks for the maps of the class and block chosen; they are worked out on the worker thread.
    void refresh();
    void showMaps(Worked worked);
    void setMessage(const QString& message);
    void announceIfLoaded();

    std::shared_ptr<const engine::BlockViewer> viewer_;
    std::vector<int64_t> samples_;
    std::vector<engine::GradCamMap> maps_;
    int classIndex_ = -1;
    QString blockId_;
    QLabel* title_ = nullptr;
    QLabel* message_ = nullptr;
    QComboBox* classes_ = nullptr;
    QComboBox* blocks_ = nullptr;
    QListWidget* grid_ = nullptr;
    QProgressBar* busy_ = nullptr;
    LatestTask* work_ = nullptr;
    bool announceLoaded_ = false;
};

} // namespace netdraft::widgets
