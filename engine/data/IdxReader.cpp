#include "engine/data/IdxReader.h"

#include "engine/core/Error.h"
#include "engine/data/FileBytes.h"

#include <cstring>

namespace netdraft::engine {
namespace {

constexpr uint32_t kImageMagic = 0x00000803;
constexpr uint32_t kLabelMagic = 0x00000801;

void checkMagic(const FileBytes& file, uint32_t expected, const char* what)
{
    uint32_t magic = file.bigEndian32(0);
    ND_CHECK(magic == expected, file.at(0), ": wrong magic number 0x", std::hex, magic, " for an IDX ", what,
        " file, expected 0x", expected, std::dec, " (is this an MNIST-style ", what, " file?)");
}

/// Payload bytes the header promises must be exactly the bytes that follow it.
void checkPayload(const FileBytes& file, uint64_t header, uint64_t count, uint64_t bytesPerItem, const char* items)
{
    uint64_t available = file.size() - header;
    // Compare by division so a huge claimed count cannot overflow the product.
    bool fits = bytesPerItem == 0 || count <= available / bytesPerItem;
    ND_CHECK(fits && count * bytesPerItem == available, file.at(header), ": the header claims ", count, " ", items,
        " of ", bytesPerItem, " bytes but ", available, " bytes follow the header",
        fits ? " (unexpected extra data)" : " (file is truncated or the count is wrong)");
}

} // namespace

torch::Tensor readIdxImages(const std::string& path)
{
    FileBytes file = readFileBytes(path);
    checkMagic(file, kImageMagic, "image");
    uint64_t count = file.bigEndian32(4), rows = file.bigEndian32(8), columns = file.bigEndian32(12);
    ND_CHECK(rows > 0 && columns > 0 && rows <= 4096 && columns <= 4096, file.at(8), ": image size ", rows, "×",
        columns, " is not between 1×1 and 4096×4096");
    checkPayload(file, 16, count, rows * columns, "images");
    torch::Tensor images = torch::empty({ int64_t(count), 1, int64_t(rows), int64_t(columns) }, torch::kUInt8);
    std::memcpy(images.data_ptr<uint8_t>(), file.bytes.data() + 16, count * rows * columns);
    return images;
}

torch::Tensor readIdxLabels(const std::string& path, int64_t classes)
{
    FileBytes file = readFileBytes(path);
    checkMagic(file, kLabelMagic, "label");
    uint64_t count = file.bigEndian32(4);
    checkPayload(file, 8, count, 1, "labels");
    torch::Tensor labels = torch::empty({ int64_t(count) }, torch::kInt64);
    int64_t* out = labels.data_ptr<int64_t>();
    for (uint64_t i = 0; i < count; ++i) {
        uint8_t label = file.bytes[8 + i];
        ND_CHECK(label < classes, file.at(8 + i), ": label ", int(label), " of sample ", i, " is out of range for ",
            classes, " classes");
        out[i] = label;
    }
    return labels;
}

} // namespace netdraft::engine
