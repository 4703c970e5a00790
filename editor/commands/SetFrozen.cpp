#include "editor/commands/SetFrozen.h"

#include <QCoreApplication>

namespace netdraft::editor::commands {

namespace {
QString describe(const std::vector<std::string>& ids, bool frozen)
{
    const QString what = ids.size() == 1 ? toQString(ids.front())
                                         : QCoreApplication::translate("SetFrozen", "%1 blocks").arg(ids.size());
    return frozen ? QCoreApplication::translate("SetFrozen", "Freeze %1").arg(what)
                  : QCoreApplication::translate("SetFrozen", "Unfreeze %1").arg(what);
}
} // namespace

SetFrozen::SetFrozen(GraphDocument& document, std::vector<std::string> blockIds, bool frozen)
    : DocumentCommand(document, describe(blockIds, frozen))
    , frozen_(frozen)
{
    for (std::string& id : blockIds) {
        const bool was = graph().block(id).frozen;
        before_.emplace_back(std::move(id), was);
    }
}

void SetFrozen::apply()
{
    for (const auto& [id, was] : before_)
        if (was != frozen_)
            setFrozen(id, frozen_);
}

void SetFrozen::revert()
{
    for (const auto& [id, was] : before_)
        if (was != frozen_)
            setFrozen(id, was);
}

} // namespace netdraft::editor::commands
