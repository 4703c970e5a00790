#include "widgets/TrainingSettingsWidget.h"

#include "widgets/SettingsForm.h"
#include "widgets/SettingsPanel.h"

#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

namespace netdraft::widgets {

TrainingSettingsWidget::TrainingSettingsWidget(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    form_ = addSettingsForm(settingSpecs<engine::TrainingSettings>(), QStringLiteral("trainingForm"), layout);
    connect(form_, &SettingsForm::valueEdited, this, &TrainingSettingsWidget::fieldEdited);

    auto* launch = new QFormLayout;
    launch->setContentsMargins(6, 4, 6, 4);
    processes_ = new QSpinBox;
    processes_->setObjectName(QStringLiteral("processesField"));
    processes_->setRange(1, 64);
    processes_->setToolTip(tr("Train data-parallel on this many processes of this machine: rank 0 runs in the app "
                              "and shows its progress, the others run netdraft-cli train. The batch size stays "
                              "the global batch, so the result equals one process's (docs/DISTRIBUTED.md)."));
    launch->addRow(tr("Processes"), processes_);
    gpus_ = new QSpinBox;
    gpus_->setObjectName(QStringLiteral("gpusField"));
    gpus_->setRange(1, 1);
    gpus_->setToolTip(tr("With a CUDA device: train on this many GPUs, one process each (NCCL)."));
    gpusLabel_ = new QLabel(tr("GPUs"));
    launch->addRow(gpusLabel_, gpus_);
    gpusLabel_->setVisible(false);
    gpus_->setVisible(false);
    layout->addLayout(launch);
}

int TrainingSettingsWidget::processes() const
{
    return processes_->value();
}

int TrainingSettingsWidget::gpus() const
{
    return gpus_->isVisibleTo(this) ? gpus_->value() : 1;
}

void TrainingSettingsWidget::setSettings(const engine::TrainingSettings& settings)
{
    shown_ = settings;
    for (const auto& [name, value] : settingValues(settings))
        form_->setValue(name, value);
}

void TrainingSettingsWidget::setField(const std::string& name, const engine::ParamValue& value)
{
    engine::findSettingField<engine::TrainingSettings>(name).set(shown_, value);
    form_->setValue(name, value);
}

void TrainingSettingsWidget::setDevices(const std::vector<std::pair<std::string, QString>>& devices)
{
    form_->setChoices("device", devices);
    form_->setValue("device", shown_.device);
    int cudaDevices = 0;
    for (const auto& [value, label] : devices)
        cudaDevices += value.rfind("cuda:", 0) == 0 && value.find(',') == std::string::npos ? 1 : 0;
    gpus_->setRange(1, std::max(1, cudaDevices));
    gpusLabel_->setVisible(cudaDevices > 1);
    gpus_->setVisible(cudaDevices > 1);
}

} // namespace netdraft::widgets
