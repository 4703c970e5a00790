#include "engine/io/ZipContainerCheck.h"

#include "engine/core/Error.h"

#include <zlib.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <set>

namespace netdraft::engine {

namespace {

constexpr uint32_t kLocalHeaderSignature = 0x04034b50;
constexpr uint32_t kCentralHeaderSignature = 0x02014b50;
constexpr uint32_t kEndSignature = 0x06054b50;
constexpr uint32_t kZip64EndSignature = 0x06064b50;
constexpr uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr uint64_t kEndRecordSize = 22;
constexpr uint64_t kCentralHeaderSize = 46;
constexpr uint64_t kLocalHeaderSize = 30;

/// Little-endian reads that check the range against the real file size first.
class ByteReader {
public:
    ByteReader(const std::string& bytes, const std::string& source) : bytes_(bytes), source_(source) {}

    uint64_t size() const { return bytes_.size(); }
    void require(uint64_t offset, uint64_t length, const char* what) const
    {
        ND_CHECK(offset <= bytes_.size() && length <= bytes_.size() - offset, source_, ": ", what, " at byte ",
                 offset, " (", length, " bytes) runs past the end of the file (", bytes_.size(), " bytes)");
    }
    uint64_t read(uint64_t offset, int width, const char* what) const
    {
        require(offset, width, what);
        uint64_t value = 0;
        for (int i = width - 1; i >= 0; --i)
            value = (value << 8) | static_cast<unsigned char>(bytes_[offset + i]);
        return value;
    }
    std::string text(uint64_t offset, uint64_t length, const char* what) const
    {
        require(offset, length, what);
        return bytes_.substr(offset, length);
    }
    const std::string& source() const { return source_; }
    const char* data(uint64_t offset) const { return bytes_.data() + offset; }

private:
    const std::string& bytes_;
    const std::string& source_;
};

struct Directory {
    uint64_t entries = 0;
    uint64_t offset = 0;
    uint64_t size = 0;
    uint64_t end = 0; ///< where the directory must end: the first end record
};

/// Finds the end-of-central-directory record, following the zip64 locator when the classic
/// fields are saturated.
Directory readDirectoryLocation(const ByteReader& in)
{
    ND_CHECK(in.size() >= kEndRecordSize, in.source(), ": not a zip archive: ", in.size(),
             " bytes is too short for one (truncated or empty file)");
    uint64_t endOffset = 0;
    bool found = false;
    const uint64_t lowest = in.size() > kEndRecordSize + 0xFFFF ? in.size() - kEndRecordSize - 0xFFFF : 0;
    for (uint64_t at = in.size() - kEndRecordSize + 1; at-- > lowest;) {
        if (in.read(at, 4, "end record") == kEndSignature && at + kEndRecordSize + in.read(at + 20, 2, "comment") == in.size()) {
            endOffset = at;
            found = true;
            break;
        }
    }
    ND_CHECK(found, in.source(), ": no zip end-of-central-directory record (truncated or not a .pt file)");
    Directory dir;
    ND_CHECK(in.read(endOffset + 4, 2, "disk number") == 0 && in.read(endOffset + 6, 2, "disk number") == 0,
             in.source(), ": multi-disk zip archives are not supported (end record at byte ", endOffset, ")");
    dir.entries = in.read(endOffset + 10, 2, "entry count");
    ND_CHECK(dir.entries == in.read(endOffset + 8, 2, "entry count"), in.source(),
             ": inconsistent entry counts in the end record at byte ", endOffset);
    dir.size = in.read(endOffset + 12, 4, "directory size");
    dir.offset = in.read(endOffset + 16, 4, "directory offset");
    dir.end = endOffset;
    const bool saturated = dir.entries == 0xFFFF || dir.size == 0xFFFFFFFF || dir.offset == 0xFFFFFFFF;
    if (endOffset >= 20 && in.read(endOffset - 20, 4, "zip64 locator") == kZip64LocatorSignature) {
        const uint64_t zip64Offset = in.read(endOffset - 20 + 8, 8, "zip64 end offset");
        in.require(zip64Offset, 56, "zip64 end record");
        ND_CHECK(in.read(zip64Offset, 4, "zip64 end record") == kZip64EndSignature && zip64Offset + 56 <= endOffset - 20,
                 in.source(), ": the zip64 locator at byte ", endOffset - 20, " points to no zip64 end record");
        const uint64_t entries = in.read(zip64Offset + 32, 8, "zip64 entry count");
        const uint64_t size = in.read(zip64Offset + 40, 8, "zip64 directory size");
        const uint64_t offset = in.read(zip64Offset + 48, 8, "zip64 directory offset");
        ND_CHECK(saturated || (entries == dir.entries && size == dir.size && offset == dir.offset), in.source(),
                 ": the zip64 end record at byte ", zip64Offset, " disagrees with the end record");
        dir.entries = entries;
        dir.size = size;
        dir.offset = offset;
        dir.end = zip64Offset;
    } else {
        ND_CHECK(!saturated, in.source(), ": the end record at byte ", endOffset, " needs a zip64 record, found none");
    }
    ND_CHECK(dir.entries > 0 && dir.entries <= kMaxZipEntries, in.source(), ": ", dir.entries,
             " entries in the archive, expected 1 to ", kMaxZipEntries);
    ND_CHECK(dir.offset <= dir.end && dir.size == dir.end - dir.offset, in.source(), ": the central directory (byte ",
             dir.offset, ", ", dir.size, " bytes) does not end where the end record starts (byte ", dir.end, ")");
    ND_CHECK(dir.size >= dir.entries * kCentralHeaderSize, in.source(), ": a central directory of ", dir.size,
             " bytes cannot hold ", dir.entries, " entries");
    return dir;
}

/// Values of the zip64 extra field (id 1) that replace saturated 32-bit fields, in their fixed order.
void applyZip64Extra(const ByteReader& in, uint64_t extraOffset, uint64_t extraLength, std::array<uint64_t*, 3> fields)
{
    uint64_t at = extraOffset;
    while (at + 4 <= extraOffset + extraLength) {
        const uint64_t id = in.read(at, 2, "extra field");
        const uint64_t length = in.read(at + 2, 2, "extra field");
        ND_CHECK(at + 4 + length <= extraOffset + extraLength, in.source(), ": extra field at byte ", at,
                 " runs past its entry");
        if (id == 1) {
            uint64_t cursor = at + 4;
            for (uint64_t* field : fields) {
                if (*field != 0xFFFFFFFF)
                    continue;
                ND_CHECK(cursor + 8 <= at + 4 + length, in.source(), ": zip64 extra field at byte ", at, " is too short");
                *field = in.read(cursor, 8, "zip64 extra field");
                cursor += 8;
            }
        }
        at += 4 + length;
    }
}

/// Inflates a deflated entry in chunks (never holding more than one chunk) and returns the CRC of
/// its content; it must inflate to exactly its declared size.
uint32_t inflatedCrc(const ByteReader& in, const PtArchiveEntry& entry)
{
    ND_CHECK(entry.size <= kMaxInflatedBytes, in.source(), ": entry '", entry.name, "' claims ", entry.size,
             " bytes when inflated, more than the limit of ", kMaxInflatedBytes, " (a zip bomb?)");
    z_stream stream{};
    ND_CHECK(inflateInit2(&stream, -MAX_WBITS) == Z_OK, "zlib cannot be initialised");
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data(entry.dataOffset)));
    stream.avail_in = static_cast<uInt>(entry.storedSize);
    std::array<unsigned char, 1 << 16> chunk;
    uLong crc = crc32(0L, Z_NULL, 0);
    uint64_t produced = 0;
    int status = Z_OK;
    while (status == Z_OK) {
        stream.next_out = chunk.data();
        stream.avail_out = static_cast<uInt>(chunk.size());
        status = inflate(&stream, Z_NO_FLUSH);
        const uint64_t got = chunk.size() - stream.avail_out;
        produced += got;
        crc = crc32(crc, chunk.data(), static_cast<uInt>(got));
        if (produced > entry.size || (status == Z_OK && got == 0 && stream.avail_in == 0))
            break;
    }
    inflateEnd(&stream);
    ND_CHECK(status == Z_STREAM_END && produced == entry.size, in.source(), ": entry '", entry.name, "' at byte ",
             entry.dataOffset, " does not inflate to its declared ", entry.size, " bytes (the file is corrupt)");
    return static_cast<uint32_t>(crc);
}

PtArchiveEntry readEntry(const ByteReader& in, uint64_t& at, const Directory& dir)
{
    ND_CHECK(in.read(at, 4, "central directory entry") == kCentralHeaderSignature, in.source(),
             ": expected a central directory entry at byte ", at);
    const uint64_t flags = in.read(at + 8, 2, "flags");
    const uint64_t method = in.read(at + 10, 2, "compression method");
    const uint64_t crc = in.read(at + 16, 4, "crc");
    uint64_t compressed = in.read(at + 20, 4, "compressed size");
    uint64_t size = in.read(at + 24, 4, "size");
    const uint64_t nameLength = in.read(at + 28, 2, "name length");
    const uint64_t extraLength = in.read(at + 30, 2, "extra length");
    const uint64_t commentLength = in.read(at + 32, 2, "comment length");
    uint64_t localOffset = in.read(at + 42, 4, "local header offset");
    PtArchiveEntry entry;
    entry.name = in.text(at + kCentralHeaderSize, nameLength, "entry name");
    const uint64_t next = at + kCentralHeaderSize + nameLength + extraLength + commentLength;
    ND_CHECK(next <= dir.end, in.source(), ": entry '", entry.name, "' at byte ", at,
             " runs past the central directory");
    std::array<uint64_t*, 3> saturable{&size, &compressed, &localOffset};
    applyZip64Extra(in, at + kCentralHeaderSize + nameLength, extraLength, saturable);
    ND_CHECK(method == 0 || method == 8, in.source(), ": entry '", entry.name, "' at byte ", at,
             " uses compression method ", method, "; .pt archives store entries or deflate them (method 0 or 8)");
    ND_CHECK(method == 8 || compressed == size, in.source(), ": stored entry '", entry.name, "' at byte ", at,
             " has different compressed (", compressed, ") and uncompressed (", size, ") sizes");
    ND_CHECK((flags & 1) == 0, in.source(), ": entry '", entry.name, "' is encrypted");

    ND_CHECK(localOffset + kLocalHeaderSize <= dir.offset, in.source(), ": entry '", entry.name,
             "' has its local header at byte ", localOffset, ", past the start of the directory (byte ", dir.offset, ")");
    ND_CHECK(in.read(localOffset, 4, "local header") == kLocalHeaderSignature, in.source(), ": entry '", entry.name,
             "': no local header at byte ", localOffset);
    const uint64_t localName = in.read(localOffset + 26, 2, "local name length");
    const uint64_t localExtra = in.read(localOffset + 28, 2, "local extra length");
    ND_CHECK(in.text(localOffset + kLocalHeaderSize, localName, "local name") == entry.name, in.source(),
             ": the local header at byte ", localOffset, " does not name '", entry.name, "'");
    entry.dataOffset = localOffset + kLocalHeaderSize + localName + localExtra;
    entry.size = size;
    entry.storedSize = compressed;
    entry.deflated = method == 8;
    ND_CHECK(entry.dataOffset <= dir.offset && compressed <= dir.offset - entry.dataOffset, in.source(), ": entry '",
             entry.name, "' (", compressed, " bytes at byte ", entry.dataOffset,
             ") runs into the central directory at byte ", dir.offset);
    const uint32_t actual = entry.deflated ? inflatedCrc(in, entry) : crc32Of(in.data(entry.dataOffset), size);
    ND_CHECK(actual == crc, in.source(), ": entry '", entry.name, "' at byte ", entry.dataOffset,
             " fails its CRC check (the file is corrupt)");
    at = next;
    return entry;
}

void requireRecords(const PtArchiveContents& contents, PtArchiveKind kind, const std::string& source)
{
    std::vector<std::string> needed{"data.pkl", "version"};
    if (kind == PtArchiveKind::TorchScript)
        needed.push_back("constants.pkl");
    for (const std::string& record : needed) {
        // LibTorch writes the version record as ".data/version" when an operator needs a newer one.
        if (contents.find(record) || (record == "version" && contents.find(".data/version")))
            continue;
        std::string found;
        for (size_t i = 0; i < contents.entries.size() && i < 8; ++i)
            found += (i ? ", " : "") + contents.entries[i].name;
        ND_CHECK(false, source, ": the archive has no '", contents.archiveName, "/", record, "' record",
                 kind == PtArchiveKind::TorchScript ? " (not a TorchScript file?)" : "", "; it holds ", found,
                 contents.entries.size() > 8 ? ", ..." : "");
    }
    if (kind == PtArchiveKind::TorchScript) {
        bool hasCode = false;
        for (const PtArchiveEntry& entry : contents.entries)
            hasCode = hasCode || entry.name.rfind(contents.archiveName + "/code/", 0) == 0;
        ND_CHECK(hasCode, source, ": the archive has no '", contents.archiveName,
                 "/code/' folder (a state dict or tensor file, not a TorchScript module?)");
    }
}

} // namespace

const PtArchiveEntry* PtArchiveContents::find(const std::string& record) const
{
    const std::string name = archiveName + "/" + record;
    for (const PtArchiveEntry& entry : entries)
        if (entry.name == name)
            return &entry;
    return nullptr;
}

PtArchiveContents checkPtArchive(const std::string& bytes, PtArchiveKind kind, const std::string& sourceName)
{
    ND_CHECK(bytes.size() <= kMaxPtFileBytes, sourceName, ": ", bytes.size(), " bytes is larger than the limit of ",
             kMaxPtFileBytes);
    ByteReader in(bytes, sourceName);
    const Directory dir = readDirectoryLocation(in);
    PtArchiveContents contents;
    std::set<std::string> names;
    uint64_t total = 0;
    uint64_t at = dir.offset;
    for (uint64_t i = 0; i < dir.entries; ++i) {
        PtArchiveEntry entry = readEntry(in, at, dir);
        const size_t slash = entry.name.find('/');
        ND_CHECK(slash != std::string::npos && slash > 0, sourceName, ": entry '", entry.name,
                 "' is not inside an archive folder");
        const std::string folder = entry.name.substr(0, slash);
        if (contents.archiveName.empty())
            contents.archiveName = folder;
        ND_CHECK(folder == contents.archiveName, sourceName, ": entry '", entry.name, "' is outside the archive folder '",
                 contents.archiveName, "'");
        ND_CHECK(entry.name.find("..") == std::string::npos, sourceName, ": entry name '", entry.name, "' contains '..'");
        ND_CHECK(names.insert(entry.name).second, sourceName, ": entry '", entry.name, "' appears twice");
        // Entries cannot hold more than the file; more means overlapping entries (a zip bomb).
        total += entry.storedSize;
        ND_CHECK(total <= bytes.size(), sourceName, ": entries claim ", total, " bytes in a file of ", bytes.size(),
                 " (overlapping entries)");
        contents.entries.push_back(std::move(entry));
    }
    ND_CHECK(at == dir.end, sourceName, ": ", dir.end - at, " unexplained bytes at the end of the central directory (byte ",
             at, ")");
    requireRecords(contents, kind, sourceName);
    return contents;
}

namespace {

std::string readPtFile(const std::string& path)
{
    std::error_code error;
    const uint64_t size = std::filesystem::file_size(path, error);
    ND_CHECK(!error, path, ": cannot be read (", error.message(), ")");
    ND_CHECK(size <= kMaxPtFileBytes, path, ": ", size, " bytes is larger than the limit of ", kMaxPtFileBytes);
    std::ifstream stream(path, std::ios::binary);
    std::string bytes(size, '\0');
    ND_CHECK(stream.read(bytes.data(), static_cast<std::streamsize>(size)), path, ": cannot be read");
    return bytes;
}

} // namespace

std::string readCheckedPtArchive(const std::string& path, PtArchiveKind kind, PtArchiveContents& contents)
{
    std::string bytes = readPtFile(path);
    contents = checkPtArchive(bytes, kind, path);
    return bytes;
}

PtArchiveContents checkPtArchiveFile(const std::string& path, PtArchiveKind kind)
{
    return checkPtArchive(readPtFile(path), kind, path);
}

uint32_t crc32Of(const char* data, size_t size)
{
    // zlib's crc32 takes a uInt length: feed it in pieces.
    uLong crc = crc32(0L, Z_NULL, 0);
    for (size_t done = 0; done < size;) {
        const size_t piece = std::min<size_t>(size - done, 1u << 30);
        crc = crc32(crc, reinterpret_cast<const Bytef*>(data + done), static_cast<uInt>(piece));
        done += piece;
    }
    return static_cast<uint32_t>(crc);
}

} // namespace netdraft::engine
