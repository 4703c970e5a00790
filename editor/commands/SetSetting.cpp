#include "editor/commands/SetSetting.h"

#include <QCoreApplication>

namespace netdraft::editor::commands {

SetSetting::SetSetting(GraphDocument& document, SettingSection section, std::string name, engine::ParamValue value)
    : document_(document)
    , section_(section)
    , name_(std::move(name))
    , oldValue_(document.setting(section, name_))
    , newValue_(std::move(value))
{
    setText(QCoreApplication::translate("SetSetting", "Set %1 to %2")
                .arg(toQString(name_), toQString(engine::formatParamValue(newValue_))));
}

void SetSetting::redo()
{
    document_.setSetting(section_, name_, newValue_);
}

void SetSetting::undo()
{
    document_.setSetting(section_, name_, oldValue_);
}

bool SetSetting::mergeWith(const QUndoCommand* other)
{
    const auto* next = dynamic_cast<const SetSetting*>(other);
    if (!next || next->section_ != section_ || next->name_ != name_ || &next->document_ != &document_)
        return false;
    newValue_ = next->newValue_;
    setText(next->text());
    setObsolete(newValue_ == oldValue_);
    return true;
}

} // namespace netdraft::editor::commands
