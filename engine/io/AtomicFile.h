#pragma once
// Whole-file reads with a size limit and atomic whole-file writes.

#include <cstdint>
#include <string>
#include <string_view>

namespace netdraft::engine {

/// Replaces `path` with `bytes` so that readers see the old or the new file, never a mix: writes a
/// temporary file in the same folder, flushes and syncs it, then renames it over `path` (a symbolic
/// link is followed, so the link stays). Keeps the old file's permissions. On failure the old file is
/// untouched, the temporary file removed, and Error says "cannot save <path>: <reason>".
void writeFileAtomically(const std::string& path, std::string_view bytes);

/// The whole file. Throws Error naming the path when it cannot be read or is larger than `maxBytes`
/// (checked before reading for regular files, and while reading for pipes and devices).
std::string readFileLimited(const std::string& path, std::uint64_t maxBytes);

} // namespace netdraft::engine
