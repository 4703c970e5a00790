#include "engine/data/CifarReader.h"

#include "engine/core/Error.h"
#include "engine/data/FileBytes.h"

#include <cstring>

namespace netdraft::engine {

CifarRecords readCifarBatch(const std::string& path, int64_t classes, int64_t coarseClasses)
{
    constexpr uint64_t kPixels = 3 * 32 * 32;
    const uint64_t labelBytes = coarseClasses > 0 ? 2 : 1;
    const uint64_t recordBytes = labelBytes + kPixels;
    FileBytes file = readFileBytes(path);
    ND_CHECK(file.size() > 0, path, ": file is empty");
    ND_CHECK(file.size() % recordBytes == 0, file.at(file.size() - file.size() % recordBytes), ": file size ",
        file.size(), " is not a whole number of ", recordBytes, "-byte records; the last record is truncated",
        coarseClasses > 0 ? "" : " (a CIFAR-100 file has 3074-byte records: choose cifar100?)");
    const int64_t count = static_cast<int64_t>(file.size() / recordBytes);
    CifarRecords records;
    records.images = torch::empty({ count, 3, 32, 32 }, torch::kUInt8);
    records.labels = torch::empty({ count }, torch::kInt64);
    if (coarseClasses > 0)
        records.coarseLabels = torch::empty({ count }, torch::kInt64);
    uint8_t* pixels = records.images.data_ptr<uint8_t>();
    int64_t* labels = records.labels.data_ptr<int64_t>();
    for (int64_t i = 0; i < count; ++i) {
        const uint64_t offset = static_cast<uint64_t>(i) * recordBytes;
        const uint8_t* record = file.bytes.data() + offset;
        if (coarseClasses > 0) {
            ND_CHECK(record[0] < coarseClasses, file.at(offset), ": coarse label ", int(record[0]), " of record ", i,
                " is out of range for ", coarseClasses, " superclasses");
            records.coarseLabels.data_ptr<int64_t>()[i] = record[0];
        }
        const uint8_t label = record[labelBytes - 1];
        ND_CHECK(label < classes, file.at(offset + labelBytes - 1), ": label ", int(label), " of record ", i,
            " is out of range for ", classes, " classes");
        labels[i] = label;
        std::memcpy(pixels + i * kPixels, record + labelBytes, kPixels);
    }
    return records;
}

} // namespace netdraft::engine
