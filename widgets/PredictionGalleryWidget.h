#pragma once
// Test samples with what the trained model predicted: a grid of images (or rows) labelled
// "true → predicted (confidence)", mistakes in red. Shows every kept sample, or only those of one
// confusion-matrix cell.

#include "engine/train/TestPredictions.h"

#include <QPointer>
#include <QThread>
#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;


namespace netdraft::widgets {

class PredictionGalleryWidget : public QWidget {
    Q_OBJECT
public:
    explicit PredictionGalleryWidget(QWidget* parent = nullptr);
    ~PredictionGalleryWidget() override;

    /// Runs the weights of a finished run on the test part of `project`'s dataset, on a worker
    /// thread, and shows the predictions (or why there are none).
    void load(const engine::Project& project, const QString& projectDirectory, const QString& weightsPath);

    void setPredictions(engine::TestPredictions predictions);
    /// A line instead of samples: "Loading predictions…", or why there are none.
    void setMessage(const QString& message);
    void clear();

    /// Shows the samples whose true class is `truth` and predicted class `predicted`.
    void showCell(int truth, int predicted);
    /// Shows every kept sample, mistakes first.
    void showAll();

    int shownCount() const;
    QString caption() const;

Q_SIGNALS:
    /// load() finished, with predictions or a message.
    void loaded();

private:
    void fill(const std::vector<const engine::PredictedSample*>& samples);

    engine::TestPredictions predictions_;
    QLabel* caption_ = nullptr;
    QPushButton* showAll_ = nullptr;
    QListWidget* grid_ = nullptr;
    QPointer<QThread> worker_; ///< null once the thread is done and deleted
    int loadNumber_ = 0; ///< only the newest load() is shown
};

} // namespace netdraft::widgets
