#include "editor/commands/SetParameter.h"

#include <QCoreApplication>

namespace netdraft::editor::commands {

SetParameter::SetParameter(GraphDocument& document, std::string blockId, std::string name, engine::ParamValue value)
    : DocumentCommand(document,
        QCoreApplication::translate("SetParameter", "Set %1.%2 to %3")
            .arg(toQString(document.graph().block(blockId).displayName()), toQString(name),
                toQString(engine::formatParamValue(value))))
    , blockId_(std::move(blockId))
    , name_(std::move(name))
    , newValue_(std::move(value))
{
    const engine::ParamMap& params = graph().block(blockId_).params;
    if (auto it = params.find(name_); it != params.end())
        oldValue_ = it->second;
}

bool SetParameter::mergeWith(const QUndoCommand* other)
{
    const auto* next = static_cast<const SetParameter*>(other);
    if (next->blockId_ != blockId_ || next->name_ != name_)
        return false;
    newValue_ = next->newValue_;
    setText(next->text());
    setObsolete(oldValue_ && *oldValue_ == newValue_);
    return true;
}

void SetParameter::apply()
{
    setParameter(blockId_, name_, newValue_);
}

void SetParameter::revert()
{
    setParameter(blockId_, name_, oldValue_);
}

} // namespace netdraft::editor::commands
