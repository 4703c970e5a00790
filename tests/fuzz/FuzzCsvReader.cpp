// libFuzzer harness: the CSV table reader and the dataset built from it (first and last column
// as target, classification and regression).

#include "FuzzInputFile.h"

#include "engine/core/Error.h"
#include "engine/data/CsvReader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace netdraft::engine;
    const std::string& path = netdraft::fuzz::writeInputFile(data, size, ".csv");
    try {
        const CsvTable table = readCsvTable(path);
        if (table.header.empty())
            return 0;
        for (const std::string& target : { table.header.front(), table.header.back() }) {
            for (bool classification : { true, false }) {
                try {
                    (void)csvDataset(table, path, target, classification);
                } catch (const Error&) {
                }
            }
        }
    } catch (const Error&) {
    }
    return 0;
}
