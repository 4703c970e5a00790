#pragma once
// The project's dataset and training settings while it is open, changed only by SetSettingField
// commands on the document's undo stack. The editor's GraphDocument offers no primitive for these
// yet, so the app keeps them here and composes the full project when saving or training.

#include "engine/project/Project.h"

#include <QObject>
#include <QUndoCommand>

namespace netdraft::app {

class ProjectSettings : public QObject {
    Q_OBJECT
public:
    enum class Section { Dataset, Training };

    explicit ProjectSettings(QObject* parent = nullptr)
        : QObject(parent)
    {
    }

    const engine::DatasetSpec& dataset() const { return dataset_; }
    const engine::TrainingSettings& training() const { return training_; }
    /// Replaces both (new, open); not undoable.
    void reset(const engine::DatasetSpec& dataset, const engine::TrainingSettings& training);
    /// The value of field `name` of `section`; throws engine::Error for unknown fields.
    engine::ParamValue value(Section section, const std::string& name) const;
    /// Sets one field; used by SetSettingField only.
    void setValue(Section section, const std::string& name, const engine::ParamValue& value);

Q_SIGNALS:
    void changed();

private:
    engine::DatasetSpec dataset_;
    engine::TrainingSettings training_;
};

/// The undoable "change value" of a settings field; repeated edits of one field merge.
class SetSettingField : public QUndoCommand {
public:
    SetSettingField(
        ProjectSettings& settings, ProjectSettings::Section section, std::string name, engine::ParamValue value);
    void redo() override;
    void undo() override;
    int id() const override { return 0x5e7; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    ProjectSettings& settings_;
    ProjectSettings::Section section_;
    std::string name_;
    engine::ParamValue oldValue_;
    engine::ParamValue newValue_;
};

} // namespace netdraft::app
