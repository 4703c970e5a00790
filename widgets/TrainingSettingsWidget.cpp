#include "widgets/TrainingSettingsWidget.h"

#include "widgets/SettingsForm.h"

#include <QScrollArea>
#include <QVBoxLayout>

namespace netdraft::widgets {

TrainingSettingsWidget::TrainingSettingsWidget(QWidget* parent)
    : QWidget(parent)
{
    form_ = new SettingsForm(settingSpecs<engine::TrainingSettings>());
    form_->setObjectName(QStringLiteral("trainingForm"));
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(form_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
    connect(form_, &SettingsForm::valueEdited, this, &TrainingSettingsWidget::fieldEdited);
}

void TrainingSettingsWidget::setSettings(const engine::TrainingSettings& settings)
{
    shown_ = settings;
    for (const auto& [name, value] : settingValues(settings))
        form_->setValue(name, value);
}

void TrainingSettingsWidget::setDevices(const std::vector<std::pair<std::string, QString>>& devices)
{
    form_->setChoices("device", devices);
    form_->setValue("device", shown_.device);
}

} // namespace netdraft::widgets
