#pragma once
// Pastes a clipboard fragment: ids already taken get fresh ones, connections follow the renames.

#include "editor/ClipboardFormat.h"
#include "editor/commands/DocumentCommand.h"

namespace netdraft::editor::commands {

/// Adds the fragment's blocks shifted by `offset`, renamed where their ids are taken.
class Paste : public DocumentCommand {
public:
    Paste(GraphDocument& document, const BlockFragment& fragment, engine::Point offset, const QString& text = {});

    /// The ids the pasted blocks got, in fragment order.
    const std::vector<std::string>& pastedIds() const { return pastedIds_; }

protected:
    void apply() override;
    void revert() override;

private:
    BlockFragment fragment_; ///< already renamed and shifted
    std::vector<std::string> pastedIds_;
};

/// "conv12" → "conv": the prefix a fresh id is made from.
std::string idPrefix(const std::string& id);

} // namespace netdraft::editor::commands
