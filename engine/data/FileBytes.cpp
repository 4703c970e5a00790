#include "engine/data/FileBytes.h"

#include "engine/core/Error.h"

#include <zlib.h>

#include <filesystem>
#include <fstream>

namespace netdraft::engine {
namespace {

std::vector<uint8_t> gunzip(const std::string& path, const std::vector<uint8_t>& compressed, uint64_t maxBytes)
{
    z_stream stream {};
    // 16 + MAX_WBITS: expect a gzip wrapper rather than a raw zlib stream.
    ND_CHECK(inflateInit2(&stream, 16 + MAX_WBITS) == Z_OK, path, ": cannot start gzip decompression");
    std::vector<uint8_t> out;
    // Grow by what inflate really produces; never by a size the file claims.
    std::vector<uint8_t> chunk(1 << 20);
    stream.next_in = const_cast<Bytef*>(compressed.data());
    stream.avail_in = static_cast<uInt>(compressed.size());
    int status = Z_OK;
    while (true) {
        stream.next_out = chunk.data();
        stream.avail_out = static_cast<uInt>(chunk.size());
        status = inflate(&stream, Z_NO_FLUSH);
        size_t produced = chunk.size() - stream.avail_out;
        if (out.size() + produced > maxBytes) {
            inflateEnd(&stream);
            ND_CHECK(false, path, ": decompresses to more than ", maxBytes, " bytes, larger than any dataset file");
        }
        out.insert(out.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(produced));
        if (status == Z_STREAM_END && stream.avail_in > 0) {
            inflateReset(&stream); // concatenated gzip members
            continue;
        }
        if (status == Z_STREAM_END)
            break;
        if (status != Z_OK || (stream.avail_in == 0 && produced == 0)) {
            uint64_t offset = stream.total_in;
            std::string reason = stream.msg ? stream.msg : (stream.avail_in == 0 ? "data ends early" : "corrupt data");
            inflateEnd(&stream);
            ND_CHECK(
                false, path, ": gzip data is truncated or corrupt near compressed byte ", offset, " (", reason, ")");
        }
    }
    inflateEnd(&stream);
    return out;
}

} // namespace

std::string FileBytes::at(uint64_t offset) const
{
    return detail::concat(path, ", byte ", offset, gzipped ? " of the decompressed data" : "");
}

uint32_t FileBytes::bigEndian32(uint64_t offset) const
{
    ND_CHECK(offset + 4 <= bytes.size(), at(offset), ": file ends before this 4-byte header field (file has ",
        bytes.size(), " bytes)");
    const uint8_t* p = bytes.data() + offset;
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

FileBytes readFileBytes(const std::string& path, uint64_t maxBytes)
{
    std::error_code error;
    ND_CHECK(std::filesystem::is_regular_file(path, error), path, ": no such file");
    uint64_t size = std::filesystem::file_size(path, error);
    ND_CHECK(!error, path, ": cannot read its size: ", error.message());
    ND_CHECK(size <= maxBytes, path, ": ", size, " bytes is larger than the limit of ", maxBytes, " bytes");
    FileBytes file;
    file.path = path;
    file.bytes.resize(size);
    std::ifstream in(path, std::ios::binary);
    ND_CHECK(in.good(), path, ": cannot open for reading");
    in.read(reinterpret_cast<char*>(file.bytes.data()), static_cast<std::streamsize>(size));
    ND_CHECK(static_cast<uint64_t>(in.gcount()) == size, path, ": read only ", in.gcount(), " of ", size, " bytes");
    if (size >= 2 && file.bytes[0] == 0x1f && file.bytes[1] == 0x8b) {
        file.bytes = gunzip(path, file.bytes, maxBytes);
        file.gzipped = true;
    }
    return file;
}

bool isFile(const std::string& path)
{
    std::error_code error;
    return std::filesystem::is_regular_file(path, error);
}

std::string findFile(const std::string& folder, const std::vector<std::string>& names)
{
    for (const auto& name : names)
        for (const char* suffix : { "", ".gz" }) {
            std::string candidate = (std::filesystem::path(folder) / (name + suffix)).string();
            if (isFile(candidate))
                return candidate;
        }
    return {};
}

} // namespace netdraft::engine
