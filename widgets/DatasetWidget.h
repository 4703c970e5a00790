#pragma once
// The dataset panel: a form generated from DatasetSpec::fields(), buttons to pick a file or folder
// (switching the kind to the one that reads it, engine/data/DatasetDetection.h), and a preview of
// the data the project would train on: sample images (or rows) with their labels, class counts, the
// sample shape, the split sizes and whether it fits the graph's Input and Output. The preview loads
// on a worker thread, a moment after the last change.

#include "engine/project/DatasetSpec.h"
#include "engine/project/Project.h"

#include <QPointer>
#include <QThread>
#include <QWidget>

#include <memory>
#include <optional>

class QLabel;
class QListWidget;
class QTableWidget;

class QTimer;

namespace netdraft::engine {
class DatasetPreviewer;
struct DatasetPreview;
}

namespace netdraft::widgets {

class SettingsForm;

class DatasetWidget : public QWidget {
    Q_OBJECT
public:
    explicit DatasetWidget(QWidget* parent = nullptr);
    ~DatasetWidget() override;

    /// Shows `spec` without emitting fieldEdited.
    void setDataset(const engine::DatasetSpec& spec);
    /// Shows the new value of one field (after an edit or its undo), leaving the others as they are.
    void setField(const std::string& name, const engine::ParamValue& value);
    /// Previews the dataset of `project` (paths relative to `projectDirectory`) shortly, replacing
    /// any preview still pending.
    void previewProject(const engine::Project& project, const QString& projectDirectory);

    SettingsForm* form() const { return form_; }
    /// One line: whether the data fits the graph, or why it cannot be loaded (for tests and the log).
    QString previewStatus() const;
    /// Samples shown in the preview.
    int previewSampleCount() const;
    /// Takes `path` (absolute) as the dataset path, as Choose File/Folder does once the dialog
    /// closes: stored relative when inside the project's folder; when the current kind does not
    /// recognise it but another kind does, emits datasetChosen (that kind and the path), else
    /// fieldEdited for the path alone.
    void useDatasetPath(const QString& path);

Q_SIGNALS:
    /// The user committed a new value; the owner applies it through an undoable command.
    void fieldEdited(const QString& name, const netdraft::engine::ParamValue& value);
    /// The user chose a path that another kind reads than the current one: the owner sets both as
    /// one undoable edit.
    void datasetChosen(const QString& kind, const QString& path);
    /// A preview finished (shown), successfully or not.
    void previewUpdated();

private:
    void startPreview();
    void showPreview(const engine::DatasetPreview& preview);
    void showFailure(const QString& message);
    void chooseDatasetPath(bool folder);

    SettingsForm* form_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* details_ = nullptr;
    QListWidget* images_ = nullptr;
    QTableWidget* rows_ = nullptr;
    QTimer* debounce_ = nullptr;
    QPointer<QThread> worker_; ///< null once the thread is done and deleted
    std::shared_ptr<engine::DatasetPreviewer> previewer_;
    std::optional<engine::Project> pending_;
    QString pendingDirectory_;
    QString projectDirectory_;
    std::string kind_; ///< the kind shown (setDataset)
};

} // namespace netdraft::widgets
