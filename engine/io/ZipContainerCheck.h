#pragma once
// Checks a PyTorch .pt archive (a zip: tensors stored, TorchScript code possibly deflated) before
// any LibTorch reader sees it. LibTorch's zip reader trusts sizes and offsets from the file; this
// check makes sure they are consistent with the real bytes, that every entry inflates to its
// declared size and CRC (with a cap against zip bombs) and that the records a loader needs are
// present, so malformed files are refused with a message instead of a crash.
// Used for exports, imported weights, checkpoints and `predict` models alike.

#include <cstdint>
#include <string>
#include <vector>

namespace netdraft::engine {

/// What kind of archive the caller expects; decides which records must be present.
enum class PtArchiveKind {
    Pickle,     ///< torch.save / torch::pickle_save: <archive>/data.pkl
    TorchScript ///< torch.jit.save: data.pkl, constants.pkl and code/
};

/// One entry of the archive: its name and where its bytes lie in the file.
struct PtArchiveEntry {
    std::string name;
    uint64_t dataOffset = 0;
    uint64_t size = 0;           ///< uncompressed size
    uint64_t storedSize = 0;     ///< bytes in the file (== size unless deflated)
    bool deflated = false;
};

/// The checked archive: the top folder every entry lives in ("archive", "model") and its entries.
struct PtArchiveContents {
    std::string archiveName;
    std::vector<PtArchiveEntry> entries;
    /// The entry called "<archive>/<record>", or null.
    const PtArchiveEntry* find(const std::string& record) const;
};

/// Files larger than this are refused before they are read.
inline constexpr uint64_t kMaxPtFileBytes = 4ull * 1024 * 1024 * 1024;
/// More entries than this are refused (a model has a few hundred).
inline constexpr uint64_t kMaxZipEntries = 100000;
/// Deflated entries (TorchScript code, never tensors) may inflate to at most this much in total.
inline constexpr uint64_t kMaxInflatedBytes = 256ull * 1024 * 1024;

/// Checks `bytes` (the whole file) as a PyTorch archive of `kind`. Throws Error naming
/// `sourceName`, the byte offset and what was expected when anything is off.
PtArchiveContents checkPtArchive(const std::string& bytes, PtArchiveKind kind, const std::string& sourceName);

/// Reads the file at `path` (refusing one over kMaxPtFileBytes), checks it as above, puts the checked
/// entries in `contents` and returns its bytes, so that the caller hands LibTorch what was checked
/// without reading the file again.
std::string readCheckedPtArchive(const std::string& path, PtArchiveKind kind, PtArchiveContents& contents);

/// readCheckedPtArchive's check alone: the archive's entries.
PtArchiveContents checkPtArchiveFile(const std::string& path, PtArchiveKind kind);

/// The standard zip CRC-32 of `size` bytes.
uint32_t crc32Of(const char* data, size_t size);

} // namespace netdraft::engine
