#pragma once
// Checks a zip archive's structure and checksums before LibTorch reads it, so that a truncated or
// damaged checkpoint gives an Error naming the file and byte offset instead of a crash.

#include <cstdint>
#include <string>
#include <vector>

namespace netdraft::engine {

/// One member of a zip archive.
struct ZipEntry {
    std::string name;
    uint64_t dataOffset = 0; ///< where its bytes start in the file
    uint64_t size = 0; ///< stored size
};

/// Reads the central directory of `path` and verifies every member: headers inside the file, sizes
/// that fit, CRC-32 of stored members. Throws Error naming the file, the offset and what was expected.
std::vector<ZipEntry> inspectZip(const std::string& path);

/// CRC-32 (the zip polynomial) of `size` bytes, continuing from `crc`.
uint32_t crc32(const void* data, size_t size, uint32_t crc = 0);

} // namespace netdraft::engine
