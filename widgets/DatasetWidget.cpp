#include "widgets/DatasetWidget.h"

#include "engine/core/Shape.h"
#include "engine/data/DatasetDetection.h"
#include "engine/data/DatasetPreview.h"
#include "widgets/SettingsForm.h"
#include "widgets/BackgroundTask.h"
#include "widgets/SampleImage.h"
#include "widgets/SettingsPanel.h"

#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableWidget>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>

namespace netdraft::widgets {

DatasetWidget::DatasetWidget(QWidget* parent)
    : QWidget(parent)
    , previewer_(std::make_shared<engine::DatasetPreviewer>())
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* splitter = new QSplitter(Qt::Vertical);
    layout->addWidget(splitter);

    auto* settings = new QWidget;
    auto* settingsLayout = new QVBoxLayout(settings);
    settingsLayout->setContentsMargins(0, 0, 0, 0);
    form_ = addSettingsForm(settingSpecs<engine::DatasetSpec>(), QStringLiteral("datasetForm"), settingsLayout);
    connect(form_, &SettingsForm::valueEdited, this, &DatasetWidget::fieldEdited);
    auto* buttons = new QHBoxLayout;
    auto* chooseFile = new QPushButton(tr("Choose File…"));
    chooseFile->setToolTip(tr("A CSV file, or an MNIST/CIFAR file inside its folder"));
    auto* chooseFolder = new QPushButton(tr("Choose Folder…"));
    chooseFolder->setToolTip(tr("An image folder (one subfolder per class), or the folder of MNIST or CIFAR files"));
    connect(chooseFile, &QPushButton::clicked, this, [this] { chooseDatasetPath(false); });
    connect(chooseFolder, &QPushButton::clicked, this, [this] { chooseDatasetPath(true); });
    buttons->addWidget(chooseFile);
    buttons->addWidget(chooseFolder);
    buttons->addStretch();
    settingsLayout->addLayout(buttons);
    splitter->addWidget(settings);

    auto* preview = new QWidget;
    auto* previewLayout = new QVBoxLayout(preview);
    previewLayout->setContentsMargins(4, 4, 4, 4);
    status_ = new QLabel(tr("No preview yet"));
    status_->setObjectName(QStringLiteral("datasetStatus"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    details_ = new QLabel;
    details_->setWordWrap(true);
    details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    images_ = new QListWidget;
    images_->setObjectName(QStringLiteral("datasetSamples"));
    makeThumbnailGrid(images_);
    rows_ = new QTableWidget;
    rows_->setObjectName(QStringLiteral("datasetRows"));
    rows_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    rows_->verticalHeader()->setVisible(false);
    rows_->hide();
    previewLayout->addWidget(status_);
    previewLayout->addWidget(details_);
    previewLayout->addWidget(images_, 1);
    previewLayout->addWidget(rows_, 1);
    // On a short screen the preview scrolls rather than cutting its wrapped lines.
    images_->setMinimumHeight(90);
    rows_->setMinimumHeight(90);
    auto* previewScroll = new QScrollArea;
    previewScroll->setObjectName(QStringLiteral("datasetPreviewScroll"));
    previewScroll->setWidget(preview);
    previewScroll->setWidgetResizable(true);
    previewScroll->setFrameShape(QFrame::NoFrame);
    previewScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    splitter->addWidget(previewScroll);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);

    debounce_ = new QTimer(this);
    debounce_->setSingleShot(true);
    debounce_->setInterval(400);
    connect(debounce_, &QTimer::timeout, this, &DatasetWidget::startPreview);
}

DatasetWidget::~DatasetWidget()
{
    // The worker only touches the previewer it shares; wait for it so no thread outlives the panel.
    if (worker_)
        worker_->wait();
}

void DatasetWidget::setDataset(const engine::DatasetSpec& spec)
{
    kind_ = spec.kind;
    for (const auto& [name, value] : settingValues(spec))
        form_->setValue(name, value);
}

void DatasetWidget::setField(const std::string& name, const engine::ParamValue& value)
{
    if (name == "kind")
        kind_ = std::get<std::string>(value);
    form_->setValue(name, value);
}

void DatasetWidget::previewProject(const engine::Project& project, const QString& projectDirectory)
{
    pending_ = project;
    pendingDirectory_ = projectDirectory;
    debounce_->start();
}

void DatasetWidget::startPreview()
{
    if (!pending_)
        return;
    if (worker_) { // one load at a time; the pending request runs when this one is shown
        debounce_->start();
        return;
    }
    engine::Project project = std::move(*pending_);
    pending_.reset();
    projectDirectory_ = pendingDirectory_;
    status_->setText(tr("Loading the dataset…"));
    std::shared_ptr<engine::DatasetPreviewer> previewer = previewer_;
    const std::string directory = projectDirectory_.toStdString();
    worker_ = startBackgroundTask<engine::DatasetPreview>(
        this,
        [previewer, project = std::move(project), directory] { return previewer->preview(project, directory); },
        [this](std::optional<engine::DatasetPreview> preview, const QString& failure) {
            if (preview)
                showPreview(*preview);
            else
                showFailure(failure);
        });
    connect(worker_, &QThread::finished, this, [this] {
        worker_ = nullptr;
        if (pending_)
            debounce_->start();
    });
}

void DatasetWidget::showPreview(const engine::DatasetPreview& preview)
{
    if (preview.mismatch.empty()) {
        status_->setText(tr("✔ Fits the graph: %1 samples into the Input, %2")
                             .arg(QString::fromStdString(engine::formatFactors(preview.sampleShape)),
                                 preview.classNames.empty() ? tr("regression targets")
                                                            : tr("%n classes to the Output", "", int(preview.classNames.size()))));
        status_->setStyleSheet(QStringLiteral("color: #1a7f37;"));
    } else {
        status_->setText(tr("✘ Does not fit the graph: %1").arg(QString::fromStdString(preview.mismatch)));
        status_->setStyleSheet(QStringLiteral("color: #c62828;"));
    }
    QString details = QString::fromStdString(preview.description) + QStringLiteral("<br>")
        + tr("Split: %1 training · %2 validation · %3 test%4")
              .arg(preview.trainSamples)
              .arg(preview.validationSamples)
              .arg(preview.testSamples)
              .arg(preview.ownTestFiles ? tr(" (the dataset's own test files)") : QString());
    if (!preview.classNames.empty()) {
        QStringList counts;
        for (size_t c = 0; c < preview.classNames.size(); ++c)
            counts << QStringLiteral("%1 %2").arg(QString::fromStdString(preview.classNames[c]).toHtmlEscaped())
                          .arg(c < preview.classCounts.size() ? preview.classCounts[c] : 0);
        details += QStringLiteral("<br>") + tr("Class counts: %1").arg(counts.join(QStringLiteral(" · ")));
    }
    details_->setText(details);

    images_->clear();
    rows_->clear();
    images_->setVisible(preview.images);
    rows_->setVisible(!preview.images);
    if (preview.images) {
        for (const engine::PreviewSample& sample : preview.samples) {
            auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(sampleImage(sample, preview.sampleShape))),
                QString::fromStdString(sample.labelText));
            item->setToolTip(QString::fromStdString(sample.labelText));
            images_->addItem(item);
        }
    } else {
        int columns = 0;
        for (const engine::PreviewSample& sample : preview.samples)
            columns = std::max(columns, static_cast<int>(sample.values.size()));
        rows_->setColumnCount(columns + 1);
        rows_->setRowCount(static_cast<int>(preview.samples.size()));
        QStringList headers { tr("label") };
        for (int c = 0; c < columns; ++c)
            headers << QStringLiteral("x%1").arg(c);
        rows_->setHorizontalHeaderLabels(headers);
        for (int r = 0; r < static_cast<int>(preview.samples.size()); ++r) {
            const engine::PreviewSample& sample = preview.samples[static_cast<size_t>(r)];
            rows_->setItem(r, 0, new QTableWidgetItem(QString::fromStdString(sample.labelText)));
            for (int c = 0; c < static_cast<int>(sample.values.size()); ++c)
                rows_->setItem(r, c + 1, new QTableWidgetItem(QString::number(sample.values[size_t(c)], 'g', 4)));
        }
        rows_->resizeColumnsToContents();
    }
    Q_EMIT previewUpdated();
}

void DatasetWidget::showFailure(const QString& message)
{
    status_->setText(tr("✘ Cannot load the dataset: %1").arg(message));
    status_->setStyleSheet(QStringLiteral("color: #c62828;"));
    details_->clear();
    images_->clear();
    rows_->clear();
    Q_EMIT previewUpdated();
}

QString DatasetWidget::previewStatus() const { return status_->text(); }

int DatasetWidget::previewSampleCount() const { return rows_->isHidden() ? images_->count() : rows_->rowCount(); }

void DatasetWidget::chooseDatasetPath(bool folder)
{
    const QString start = projectDirectory_.isEmpty() ? QDir::homePath() : projectDirectory_;
    const QString chosen = folder ? QFileDialog::getExistingDirectory(this, tr("Dataset Folder"), start)
                                  : QFileDialog::getOpenFileName(this, tr("Dataset File"), start);
    if (!chosen.isEmpty())
        useDatasetPath(chosen);
}

void DatasetWidget::useDatasetPath(const QString& chosen)
{
    // Paths inside the project's folder are stored relative, so the project moves with its data.
    QString stored = chosen;
    if (!projectDirectory_.isEmpty()) {
        const QString relative = QDir(projectDirectory_).relativeFilePath(chosen);
        if (!relative.startsWith(QStringLiteral("..")))
            stored = relative;
    }
    // A path no kind recognises is still taken: the preview then says what the kind expected.
    const std::vector<std::string> kinds = engine::datasetKindsRecognising(chosen.toStdString());
    if (kinds.empty() || std::find(kinds.begin(), kinds.end(), kind_) != kinds.end())
        Q_EMIT fieldEdited(QStringLiteral("path"), engine::ParamValue(stored.toStdString()));
    else
        Q_EMIT datasetChosen(QString::fromStdString(kinds.front()), stored);
}

} // namespace netdraft::widgets
