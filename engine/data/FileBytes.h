#pragma once
// Whole-file reads for the dataset readers, gunzipping transparently, with the helpers every
// binary reader needs: big-endian fields and error places as "file, byte offset".

#include <cstdint>
#include <string>
#include <vector>

namespace netdraft::engine {

/// The contents of one file (decompressed when it was gzip).
struct FileBytes {
    std::string path;
    std::vector<uint8_t> bytes;
    bool gzipped = false;

    uint64_t size() const { return bytes.size(); }
    /// "data/x.bin, byte 16" or "data/x.gz, byte 16 of the decompressed data", for messages.
    std::string at(uint64_t offset) const;
    /// The unsigned big-endian 32-bit number at `offset`; throws naming the place when the file ends before.
    uint32_t bigEndian32(uint64_t offset) const;
};

/// Largest file (or decompressed content) a dataset reader accepts.
constexpr uint64_t kMaxDatasetFileBytes = uint64_t(2) << 30;

/// Reads `path`, gunzipping it when it starts with the gzip magic bytes. Throws Error when the file
/// cannot be read, is larger than `maxBytes` (decompressed), or its gzip data is corrupt or truncated.
FileBytes readFileBytes(const std::string& path, uint64_t maxBytes = kMaxDatasetFileBytes);

/// True when `path` names an existing regular file.
bool isFile(const std::string& path);

/// The first existing file among `folder`/`name` for each name (each also tried with ".gz");
/// empty when none exists.
std::string findFile(const std::string& folder, const std::vector<std::string>& names);

} // namespace netdraft::engine
