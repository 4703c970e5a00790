#include "widgets/TrainingSettingsWidget.h"

#include "widgets/SettingsForm.h"
#include "widgets/SettingsPanel.h"

#include <QVBoxLayout>

namespace netdraft::widgets {

TrainingSettingsWidget::TrainingSettingsWidget(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    form_ = addSettingsForm(settingSpecs<engine::TrainingSettings>(), QStringLiteral("trainingForm"), layout);
    connect(form_, &SettingsForm::valueEdited, this, &TrainingSettingsWidget::fieldEdited);
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
}

} // namespace netdraft::widgets
