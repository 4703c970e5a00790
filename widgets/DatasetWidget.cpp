#include "widgets/DatasetWidget.h"

#include "widgets/SettingsForm.h"

#include <QScrollArea>
#include <QVBoxLayout>

namespace netdraft::widgets {

DatasetWidget::DatasetWidget(QWidget* parent)
    : QWidget(parent)
{
    form_ = new SettingsForm(settingSpecs<engine::DatasetSpec>());
    form_->setObjectName(QStringLiteral("datasetForm"));
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(form_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
    connect(form_, &SettingsForm::valueEdited, this, &DatasetWidget::fieldEdited);
}

void DatasetWidget::setDataset(const engine::DatasetSpec& spec)
{
    for (const auto& [name, value] : settingValues(spec))
        form_->setValue(name, value);
}

} // namespace netdraft::widgets
