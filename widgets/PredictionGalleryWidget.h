#pragma once
// Test samples with what the trained model predicted: a grid of images (or rows) labelled
// "true → predicted (confidence)", mistakes in red, a page at a time. Shows every test sample, or
// every sample of one confusion-matrix cell; says which samples have no image kept and why.

#include "engine/train/TestPredictions.h"

#include <QPointer>
#include <QThread>
#include <QWidget>

#include <optional>

class QLabel;
class QListWidget;
class QPushButton;

namespace netdraft::widgets {

class GradCamView;

class PredictionGalleryWidget : public QWidget {
    Q_OBJECT
public:
    static constexpr int kPageSize = 48;

    explicit PredictionGalleryWidget(QWidget* parent = nullptr);
    ~PredictionGalleryWidget() override;

    /// Runs the weights of a finished run on the test part of `project`'s dataset, on a worker
    /// thread, and shows the predictions (or why there are none).
    void load(const engine::Project& project, const QString& projectDirectory, const QString& weightsPath);

    void setPredictions(engine::TestPredictions predictions);
    /// A line instead of samples: "Loading predictions…", or why there are none. A load() still
    /// going is dropped: its predictions belong to what was shown before.
    void setMessage(const QString& message);
    void clear();

    /// Shows every sample whose true class is `truth` and predicted class `predicted`, from page 1.
    void showCell(int truth, int predicted);
    /// Shows every test sample, mistakes first, from page 1.
    void showAll();
    void nextPage();
    void previousPage();

    /// Samples on the page shown.
    int shownCount() const;
    /// Samples in the selection (every test sample, or one cell's), over all pages.
    int selectedCount() const { return int(selection_.size()); }
    int page() const { return page_; } ///< 0-based
    int pageCount() const;
    /// "1–48 of 143"
    QString pageText() const;
    /// The test-split indexes of the samples on the page shown, in order.
    std::vector<int64_t> shownIndexes() const;
    QString caption() const;
    const engine::TestPredictions& predictions() const { return predictions_; }

    /// Opens a Grad-CAM window on the test samples `indexes` with the weights load() ran (double-click
    /// on a sample, its context menu, a confusion-matrix cell); null when nothing was loaded.
    GradCamView* openGradCam(std::vector<int64_t> indexes, const QString& title);
    /// The Grad-CAM window of every sample of the cell (true `truth`, predicted `predicted`).
    GradCamView* openGradCamForCell(int truth, int predicted);

Q_SIGNALS:
    /// load() finished, with predictions or a message.
    void loaded();

private:
    void select(std::vector<const engine::PredictedSample*> samples);
    void showGridMenu(const QPoint& position);
    void fillPage();
    /// "; 12 of 43 have their image: the others are not kept (…)", or empty when every one has.
    QString missingImagesNote() const;

    engine::TestPredictions predictions_;
    std::vector<const engine::PredictedSample*> selection_;
    int page_ = 0;
    QLabel* caption_ = nullptr;
    QPushButton* showAll_ = nullptr;
    QListWidget* grid_ = nullptr;
    QPushButton* previous_ = nullptr;
    QPushButton* next_ = nullptr;
    QLabel* pageLabel_ = nullptr;
    QPointer<QThread> worker_; ///< null once the thread is done and deleted
    struct Source {
        engine::Project project;
        QString directory;
        QString weightsPath;
    };
    std::optional<Source> source_; ///< what load() ran, for Grad-CAM
    int loadNumber_ = 0; ///< only the newest load() is shown
};

} // namespace netdraft::widgets
