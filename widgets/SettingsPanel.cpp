#include "widgets/SettingsPanel.h"

#include "widgets/SettingsForm.h"

#include <QLayout>

namespace netdraft::widgets {

SettingsForm* addSettingsForm(std::vector<engine::ParamSpec> specs, const QString& objectName, QLayout* layout)
{
    auto* form = new SettingsForm(std::move(specs));
    form->setObjectName(objectName);
    auto* scroll = new QScrollArea;
    scroll->setWidget(form);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    layout->addWidget(scroll);
    return form;
}

} // namespace netdraft::widgets
