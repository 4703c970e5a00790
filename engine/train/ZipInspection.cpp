#include "engine/train/ZipInspection.h"

#include "engine/core/Error.h"

#include <array>
#include <filesystem>
#include <fstream>

namespace netdraft::engine {

namespace {

constexpr uint32_t localHeaderSignature = 0x04034b50;
constexpr uint32_t centralHeaderSignature = 0x02014b50;
constexpr uint32_t endSignature = 0x06054b50;
constexpr uint32_t zip64LocatorSignature = 0x07064b50;
constexpr uint32_t zip64EndSignature = 0x06064b50;
constexpr size_t endRecordSize = 22;
constexpr size_t centralHeaderSize = 46;
constexpr size_t localHeaderSize = 30;

uint64_t readLittleEndian(const unsigned char* bytes, int count)
{
    uint64_t value = 0;
    for (int i = count - 1; i >= 0; --i)
        value = (value << 8) | bytes[i];
    return value;
}

/// Bounds-checked reads from the archive file.
class ArchiveFile {
public:
    explicit ArchiveFile(const std::string& path)
        : path_(path)
        , stream_(path, std::ios::binary)
    {
        ND_CHECK(stream_, "checkpoint ", path, ": cannot be opened");
        std::error_code error;
        size_ = std::filesystem::file_size(path, error);
        ND_CHECK(!error, "checkpoint ", path, ": cannot read its size (", error.message(), ")");
    }

    uint64_t size() const { return size_; }

    std::vector<unsigned char> read(uint64_t offset, uint64_t count, const char* what)
    {
        ND_CHECK(offset <= size_ && count <= size_ - offset, "checkpoint ", path_, ": ", what, " at byte ", offset,
            " (", count, " bytes) runs past the end of the file (", size_,
            " bytes); the file is truncated or not a checkpoint");
        std::vector<unsigned char> bytes(count);
        stream_.seekg(static_cast<std::streamoff>(offset));
        stream_.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(count));
        ND_CHECK(stream_, "checkpoint ", path_, ": reading ", what, " at byte ", offset, " failed");
        return bytes;
    }

    uint32_t crcOf(uint64_t offset, uint64_t count)
    {
        stream_.seekg(static_cast<std::streamoff>(offset));
        std::array<char, 1 << 16> buffer;
        uint32_t crc = 0;
        while (count > 0) {
            const auto chunk = static_cast<std::streamsize>(std::min<uint64_t>(count, buffer.size()));
            stream_.read(buffer.data(), chunk);
            ND_CHECK(stream_, "checkpoint ", path_, ": reading member data at byte ", offset, " failed");
            crc = crc32(buffer.data(), static_cast<size_t>(chunk), crc);
            count -= static_cast<uint64_t>(chunk);
        }
        return crc;
    }

    const std::string& path() const { return path_; }

private:
    std::string path_;
    std::ifstream stream_;
    uint64_t size_ = 0;
};

struct Directory {
    uint64_t offset = 0;
    uint64_t size = 0;
    uint64_t entries = 0;
};

Directory findDirectory(ArchiveFile& file)
{
    const std::string& path = file.path();
    ND_CHECK(file.size() >= endRecordSize, "checkpoint ", path, ": ", file.size(),
        " bytes is too short for a zip archive; the file is truncated or not a checkpoint");
    const auto head = file.read(0, 4, "the zip signature");
    ND_CHECK(readLittleEndian(head.data(), 4) == localHeaderSignature, "checkpoint ", path,
        ": byte 0: not a zip archive (a checkpoint starts with PK\\3\\4)");
    // The end record sits in the last 22 bytes plus at most a 65535-byte comment.
    const uint64_t tailSize = std::min<uint64_t>(file.size(), endRecordSize + 65535);
    const uint64_t tailStart = file.size() - tailSize;
    const auto tail = file.read(tailStart, tailSize, "the end of the archive");
    for (uint64_t i = tailSize - endRecordSize + 1; i-- > 0;) {
        const unsigned char* record = tail.data() + i;
        if (readLittleEndian(record, 4) != endSignature)
            continue;
        if (i + endRecordSize + readLittleEndian(record + 20, 2) != tailSize)
            continue; // four bytes inside member data that happen to look like a signature
        Directory directory { readLittleEndian(record + 16, 4), readLittleEndian(record + 12, 4),
            readLittleEndian(record + 10, 2) };
        const uint64_t endOffset = tailStart + i;
        if (directory.offset == 0xFFFFFFFF || directory.size == 0xFFFFFFFF || directory.entries == 0xFFFF) {
            ND_CHECK(endOffset >= 20, "checkpoint ", path, ": byte ", endOffset, ": zip64 locator missing");
            const auto locator = file.read(endOffset - 20, 20, "the zip64 locator");
            ND_CHECK(readLittleEndian(locator.data(), 4) == zip64LocatorSignature, "checkpoint ", path, ": byte ",
                endOffset - 20, ": expected the zip64 locator");
            const uint64_t recordOffset = readLittleEndian(locator.data() + 8, 8);
            const auto zip64 = file.read(recordOffset, 56, "the zip64 end record");
            ND_CHECK(readLittleEndian(zip64.data(), 4) == zip64EndSignature, "checkpoint ", path, ": byte ",
                recordOffset, ": expected the zip64 end record");
            directory = { readLittleEndian(zip64.data() + 48, 8), readLittleEndian(zip64.data() + 40, 8),
                readLittleEndian(zip64.data() + 32, 8) };
        }
        ND_CHECK(directory.offset <= endOffset && directory.size <= endOffset - directory.offset, "checkpoint ", path,
            ": the central directory (byte ", directory.offset, ", ", directory.size,
            " bytes) does not fit before the end record at byte ", endOffset);
        ND_CHECK(directory.entries <= directory.size / centralHeaderSize, "checkpoint ", path, ": ", directory.entries,
            " members cannot fit in a ", directory.size, "-byte central directory");
        return directory;
    }
    ND_CHECK(false, "checkpoint ", path, ": no zip end record in the last ", tailSize,
        " bytes; the file is truncated or not a checkpoint");
    return {};
}

/// Applies the zip64 extra field (id 1) to sizes and offsets saturated at 0xFFFFFFFF.
void applyZip64Extra(
    const unsigned char* extra, uint64_t length, uint64_t& size, uint64_t& uncompressed, uint64_t& offset)
{
    for (uint64_t pos = 0; pos + 4 <= length;) {
        const uint64_t id = readLittleEndian(extra + pos, 2);
        const uint64_t fieldSize = readLittleEndian(extra + pos + 2, 2);
        if (pos + 4 + fieldSize > length)
            return;
        if (id == 1) {
            uint64_t at = pos + 4;
            for (uint64_t* value : { &uncompressed, &size, &offset })
                if (*value == 0xFFFFFFFF && at + 8 <= pos + 4 + fieldSize) {
                    *value = readLittleEndian(extra + at, 8);
                    at += 8;
                }
        }
        pos += 4 + fieldSize;
    }
}

} // namespace

uint32_t crc32(const void* data, size_t size, uint32_t crc)
{
    static const auto table = [] {
        std::array<uint32_t, 256> t {};
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    const auto* bytes = static_cast<const unsigned char*>(data);
    crc = ~crc;
    for (size_t i = 0; i < size; ++i)
        crc = table[(crc ^ bytes[i]) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

std::vector<ZipEntry> inspectZip(const std::string& path)
{
    ArchiveFile file(path);
    const Directory directory = findDirectory(file);
    const auto central = file.read(directory.offset, directory.size, "the central directory");
    std::vector<ZipEntry> entries;
    uint64_t pos = 0;
    for (uint64_t index = 0; index < directory.entries; ++index) {
        const uint64_t at = directory.offset + pos;
        ND_CHECK(pos + centralHeaderSize <= central.size()
                && readLittleEndian(central.data() + pos, 4) == centralHeaderSignature,
            "checkpoint ", path, ": byte ", at, ": expected the directory header of member ", index);
        const unsigned char* header = central.data() + pos;
        const uint64_t method = readLittleEndian(header + 10, 2);
        const auto expectedCrc = static_cast<uint32_t>(readLittleEndian(header + 16, 4));
        uint64_t size = readLittleEndian(header + 20, 4);
        uint64_t uncompressed = readLittleEndian(header + 24, 4);
        const uint64_t nameLength = readLittleEndian(header + 28, 2);
        const uint64_t extraLength = readLittleEndian(header + 30, 2);
        const uint64_t commentLength = readLittleEndian(header + 32, 2);
        uint64_t localOffset = readLittleEndian(header + 42, 4);
        ND_CHECK(pos + centralHeaderSize + nameLength + extraLength + commentLength <= central.size(), "checkpoint ",
            path, ": byte ", at, ": the directory header of member ", index, " runs past the directory");
        ZipEntry entry;
        entry.name.assign(reinterpret_cast<const char*>(header + centralHeaderSize), nameLength);
        applyZip64Extra(header + centralHeaderSize + nameLength, extraLength, size, uncompressed, localOffset);

        const auto local = file.read(localOffset, localHeaderSize, "a member's local header");
        ND_CHECK(readLittleEndian(local.data(), 4) == localHeaderSignature, "checkpoint ", path, ": byte ", localOffset,
            ": expected the local header of '", entry.name, "'");
        entry.dataOffset = localOffset + localHeaderSize + readLittleEndian(local.data() + 26, 2)
            + readLittleEndian(local.data() + 28, 2);
        entry.size = size;
        ND_CHECK(entry.dataOffset <= directory.offset && size <= directory.offset - entry.dataOffset, "checkpoint ",
            path, ": member '", entry.name, "' (byte ", entry.dataOffset, ", ", size,
            " bytes) overlaps the central directory at byte ", directory.offset);
        if (method == 0) {
            ND_CHECK(size == uncompressed, "checkpoint ", path, ": member '", entry.name,
                "' is stored but its sizes differ");
            ND_CHECK(file.crcOf(entry.dataOffset, size) == expectedCrc, "checkpoint ", path, ": member '", entry.name,
                "' at byte ", entry.dataOffset, " fails its CRC-32 check; the file is damaged");
        }
        entries.push_back(std::move(entry));
        pos += centralHeaderSize + nameLength + extraLength + commentLength;
    }
    return entries;
}

} // namespace netdraft::engine
