#pragma once
// The dataset panel: a form generated from DatasetSpec::fields().

#include "engine/project/DatasetSpec.h"

#include <QWidget>

namespace netdraft::widgets {

class SettingsForm;

class DatasetWidget : public QWidget {
    Q_OBJECT
public:
    explicit DatasetWidget(QWidget* parent = nullptr);

    /// Shows `spec` without emitting fieldEdited.
    void setDataset(const engine::DatasetSpec& spec);
    SettingsForm* form() const { return form_; }

Q_SIGNALS:
    /// The user committed a new value; the owner applies it through an undoable command.
    void fieldEdited(const QString& name, const netdraft::engine::ParamValue& value);

private:
    SettingsForm* form_ = nullptr;
};

} // namespace netdraft::widgets
