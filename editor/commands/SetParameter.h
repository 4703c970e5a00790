#pragma once
// Sets one parameter of one block; consecutive edits of the same field merge (typing "128").

#include "editor/commands/DocumentCommand.h"

namespace netdraft::editor::commands {

/// The generic "change value" command of the inspector.
class SetParameter : public DocumentCommand {
public:
    SetParameter(GraphDocument& document, std::string blockId, std::string name, engine::ParamValue value);

    int id() const override { return kSetParameterId; }
    bool mergeWith(const QUndoCommand* other) override;

protected:
    void apply() override;
    void revert() override;

private:
    std::string blockId_;
    std::string name_;
    std::optional<engine::ParamValue> oldValue_; ///< empty: the block did not store the parameter
    engine::ParamValue newValue_;
};

} // namespace netdraft::editor::commands
