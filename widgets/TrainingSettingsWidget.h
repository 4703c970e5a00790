#pragma once
// The training settings panel: a form generated from TrainingSettings::fields(), with the device
// field offering the devices this machine has, and below it how many processes (or GPUs) a run
// started here trains on. Those two say how this machine runs the project, not what it trains, so
// they are not project settings (the command line's counterpart is torchrun's --nproc_per_node).

#include "engine/project/TrainingSettings.h"

#include <QWidget>

class QLabel;
class QSpinBox;

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
    /// Worker processes for the next run on this machine (1: in the app alone).
    int processes() const;
    /// GPUs for the next run when the device is CUDA and several are visible (one process each); 1 otherwise.
    int gpus() const;
    QSpinBox* processesField() const { return processes_; }
    QSpinBox* gpusField() const { return gpus_; }

Q_SIGNALS:
    void fieldEdited(const QString& name, const netdraft::engine::ParamValue& value);

private:
    SettingsForm* form_ = nullptr;
    QSpinBox* processes_ = nullptr;
    QLabel* gpusLabel_ = nullptr;
    QSpinBox* gpus_ = nullptr;
    engine::TrainingSettings shown_;
};

} // namespace netdraft::widgets
