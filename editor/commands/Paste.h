#pragma once
// Pastes a clipboard fragment: ids already taken get fresh ones, connections follow the renames, and
// display names already shown get the next free number ("features2" → "features3").

#include "editor/ClipboardFormat.h"
#include "editor/commands/DocumentCommand.h"

#include <set>
#include <string>

namespace netdraft::editor::commands {

/// Adds the fragment's blocks shifted by `offset`, renamed where their ids or display names are taken.
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
/// `name` with the next number not in `taken`: "features2" → "features3" (or higher), "Stem" → "Stem2".
std::string nextFreeName(const std::string& name, const std::set<std::string>& taken);

} // namespace netdraft::editor::commands
