#pragma once
// The training settings panel: a form generated from TrainingSettings::fields(), with the device
// field offering the devices this machine has.

#include "engine/project/TrainingSettings.h"

#include <QWidget>

#include <string>
#include <utility>
#include <vector>

namespace netdraft::widgets {

class SettingsForm;

class TrainingSettingsWidget : public QWidget {
    Q_OBJECT
public:
    explicit TrainingSettingsWidget(QWidget* parent = nullptr);

    /// Shows `settings` without emitting fieldEdited.
    void setSettings(const engine::TrainingSettings& settings);
    /// Shows the new value of one field (after an edit or its undo), leaving the others as they are.
    void setField(const std::string& name, const engine::ParamValue& value);
    /// (settings value, label) of each device, e.g. ("cpu", "CPU"), ("cuda:0", "CUDA GPU 0").
    void setDevices(const std::vector<std::pair<std::string, QString>>& devices);
    SettingsForm* form() const { return form_; }

Q_SIGNALS:
    void fieldEdited(const QString& name, const netdraft::engine::ParamValue& value);

private:
    SettingsForm* form_ = nullptr;
    engine::TrainingSettings shown_;
};

} // namespace netdraft::widgets
