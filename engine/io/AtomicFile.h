#pragma once
// Whole-file reads with a size limit and atomic whole-file writes.

#include <cstdint>
#include <string>
#include <string_view>

namespace netdraft::engine {

/// Replaces `path` with `bytes` so that readers see the old or the new file, never a mix: writes a
/// temporary file in the same folder, flushes and syncs it, then renames it over `path` (a symbolic
/// link is followed, so the link stays) and syncs the folder. Keeps the old file's permissions. On
/// failure the old file is untouched, the temporary file removed, and Error says "cannot save
/// <path>: <reason>". Every file Netdraft writes (project, checkpoint, export) goes through here.
/// Stale temporary files of the same target (see below) are removed first.
void writeFileAtomically(const std::string& path, std::string_view bytes);

/// The temporary file of a save is "." + target name + ".saving-" + writer pid + "-" + 6 characters,
/// in the target's folder. Returns the writer's pid when `fileName` (a name, no folder) has that
/// form, else 0.
long temporarySaveWriter(const std::string& fileName);

/// Removes the temporary files in `folder` that saves left behind when their process died (the pid in
/// the name no longer runs), so a killed save leaves no litter after the next start. Temporary files
/// of running processes are kept: another Netdraft may be saving there right now. When `target` is
/// not empty only that file name's temporaries are considered. Returns how many were removed; never
/// throws (a folder that cannot be listed removes nothing).
int removeStaleTemporaryFiles(const std::string& folder, const std::string& target = {});

/// The whole file. Throws Error naming the path when it cannot be read or is larger than `maxBytes`
/// (checked before reading for regular files, and while reading for pipes and devices).
std::string readFileLimited(const std::string& path, std::uint64_t maxBytes);

} // namespace netdraft::engine
