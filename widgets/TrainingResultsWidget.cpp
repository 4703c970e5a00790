#include "widgets/TrainingResultsWidget.h"

#include "widgets/ConfusionMatrixWidget.h"
#include "widgets/PredictionGalleryWidget.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace netdraft::widgets {

namespace {

QString describeStop(const QString& reason)
{
    if (reason == QLatin1String("completed"))
        return QObject::tr("completed");
    if (reason == QLatin1String("early_stopping"))
        return QObject::tr("stopped early (no improvement)");
    if (reason == QLatin1String("stopped"))
        return QObject::tr("stopped by you");
    if (reason == QLatin1String("nan"))
        return QObject::tr("stopped: the loss is not finite");
    return QObject::tr("failed");
}

} // namespace

TrainingResultsWidget::TrainingResultsWidget(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    summary_ = new QLabel(this);
    summary_->setObjectName(QStringLiteral("resultsSummary"));
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* header = new QHBoxLayout;
    header->addWidget(summary_, 1);
    windowButton_ = new QToolButton(this);
    windowButton_->setObjectName(QStringLiteral("resultsWindowButton"));
    windowButton_->setToolButtonStyle(Qt::ToolButtonTextOnly);
    windowButton_->hide(); // until the window gives it its action
    header->addWidget(windowButton_, 0, Qt::AlignTop);
    layout->addLayout(header);
    // Side by side, so that each keeps the dock's full height: matrix, predictions, per-class table.
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter_ = splitter;
    matrix_ = new ConfusionMatrixWidget(splitter);
    predictions_ = new PredictionGalleryWidget(splitter);
    perClass_ = new QTableWidget(0, 2, splitter);
    perClass_->setObjectName(QStringLiteral("perClassAccuracy"));
    perClass_->setHorizontalHeaderLabels({ tr("Class"), tr("Accuracy") });
    perClass_->horizontalHeader()->setStretchLastSection(true);
    perClass_->verticalHeader()->hide();
    perClass_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 5);
    splitter->setStretchFactor(2, 2);
    layout->addWidget(splitter, 1);
    connect(splitter, &QSplitter::splitterMoved, this, [this] { columnsMovedByUser_ = true; });
    connect(matrix_, &ConfusionMatrixWidget::cellClicked, predictions_, &PredictionGalleryWidget::showCell);
    connect(matrix_, &ConfusionMatrixWidget::cellGradCamRequested, predictions_,
        &PredictionGalleryWidget::openGradCamForCell);
    connect(predictions_, &PredictionGalleryWidget::loaded, this, &TrainingResultsWidget::checkPredictions);
    clear();
}

void TrainingResultsWidget::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    if (!columnsMovedByUser_)
        balanceColumns();
}

void TrainingResultsWidget::balanceColumns()
{
    // The matrix is square: width beyond its height (its names above and beside take about as much
    // room as each other) would be empty, while the gallery shows one more sample a row per 124 px.
    const int width = splitter_->width();
    const int matrixWidth = std::clamp(splitter_->height() + 20, std::min(160, width / 3), width * 2 / 5);
    const int tableWidth = std::clamp(width / 6, std::min(140, width / 4), 240);
    splitter_->setSizes({ matrixWidth, std::max(0, width - matrixWidth - tableWidth), tableWidth });
}

void TrainingResultsWidget::setWindowAction(QAction* action)
{
    windowButton_->setDefaultAction(action);
    windowButton_->setVisible(action != nullptr);
}

void TrainingResultsWidget::clear()
{
    summaryText_.clear();
    summary_->setText(tr("No run yet — press Train (Train ▸ Start Training) to see this project's results."));
    matrix_->setMatrix({}, {});
    perClass_->setRowCount(0);
    predictions_->clear();
}

void TrainingResultsWidget::showRun(const RunRecord& run)
{
    const QString epochs = run.epochsCompleted == 1 ? tr("1 epoch") : tr("%1 epochs").arg(run.epochsCompleted);
    QStringList parts { tr("Run %1 %2 after %3").arg(run.number).arg(describeStop(run.stopReason), epochs) };
    if (run.testLoss)
        parts << tr("test loss %1").arg(*run.testLoss, 0, 'f', 4);
    if (run.testAccuracy)
        parts << tr("test accuracy %1 %").arg(*run.testAccuracy * 100, 0, 'f', 1);
    if (run.stopReason == QLatin1String("failed") || run.stopReason == QLatin1String("nan"))
        parts << run.message;
    summary_->setText(parts.join(QStringLiteral(" · ")));
    summaryText_ = summary_->text();
    matrix_->setMatrix(run.confusionMatrix, run.classNames);
    perClass_->setRowCount(int(run.perClassAccuracy.size()));
    for (int row = 0; row < int(run.perClassAccuracy.size()); ++row) {
        const QString name = row < run.classNames.size() ? run.classNames[row] : QString::number(row);
        const double accuracy = run.perClassAccuracy[size_t(row)];
        perClass_->setItem(row, 0, new QTableWidgetItem(name));
        perClass_->setItem(row, 1,
            new QTableWidgetItem(
                std::isnan(accuracy) ? tr("no samples") : QString::number(accuracy * 100, 'f', 1) + " %"));
    }
}

void TrainingResultsWidget::checkPredictions()
{
    const engine::TestPredictions& predictions = predictions_->predictions();
    const auto& matrix = matrix_->matrix();
    if (predictions.samples.empty() || matrix.empty())
        return;
    // The gallery runs the weights on the test split as it is now; a dataset that changed since the
    // run gives other counts, which would not add up without a word.
    std::vector<std::vector<int64_t>> counts(matrix.size(), std::vector<int64_t>(matrix.size(), 0));
    int differing = 0;
    for (const engine::PredictedSample& sample : predictions.samples)
        if (sample.sample.label >= 0 && sample.sample.label < int64_t(matrix.size()) && sample.predicted >= 0
            && sample.predicted < int64_t(matrix.size()))
            ++counts[size_t(sample.sample.label)][size_t(sample.predicted)];
        else
            ++differing;
    for (size_t row = 0; row < matrix.size(); ++row)
        for (size_t column = 0; column < matrix.size() && column < matrix[row].size(); ++column)
            differing += counts[row][column] != matrix[row][column];
    if (differing > 0)
        summary_->setText(summaryText_
            + tr(" · The gallery's predictions differ from this matrix (%1 cells): the test data has changed "
                 "since the run.")
                  .arg(differing));
}

} // namespace netdraft::widgets
