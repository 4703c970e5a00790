#include "editor/commands/RenameBlock.h"

#include <QCoreApplication>

namespace netdraft::editor::commands {

RenameBlock::RenameBlock(GraphDocument& document, std::string blockId, std::string name)
    : DocumentCommand(document,
        QCoreApplication::translate("RenameBlock", "Rename %1 to \u201c%2\u201d")
            .arg(toQString(document.graph().block(blockId).displayName()), toQString(name)))
    , blockId_(std::move(blockId))
    , oldName_(graph().block(blockId_).name)
    , newName_(std::move(name))
{
}

bool RenameBlock::mergeWith(const QUndoCommand* other)
{
    const auto* next = static_cast<const RenameBlock*>(other);
    if (next->blockId_ != blockId_)
        return false;
    newName_ = next->newName_;
    setText(next->text());
    setObsolete(newName_ == oldName_);
    return true;
}

void RenameBlock::apply()
{
    setDisplayName(blockId_, newName_);
}

void RenameBlock::revert()
{
    setDisplayName(blockId_, oldName_);
}

} // namespace netdraft::editor::commands
