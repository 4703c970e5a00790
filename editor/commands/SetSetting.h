#pragma once
// Sets one dataset or training setting of the project; consecutive edits of the same field merge
// (typing "0.001"). The graph does not change, so neither scope nor shape inference is touched.

#include "editor/GraphDocument.h"

#include <QUndoCommand>

namespace netdraft::editor::commands {

class SetSetting : public QUndoCommand {
public:
    /// Throws engine::Error for an unknown field.
    SetSetting(GraphDocument& document, SettingSection section, std::string name, engine::ParamValue value);

    void redo() override;
    void undo() override;
    int id() const override { return kSetSettingId; }
    bool mergeWith(const QUndoCommand* other) override;

    static constexpr int kSetSettingId = 0x5e7;

private:
    GraphDocument& document_;
    SettingSection section_;
    std::string name_;
    engine::ParamValue oldValue_;
    engine::ParamValue newValue_;
};

} // namespace netdraft::editor::commands
