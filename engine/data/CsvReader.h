#pragma once
// Reader of numeric tables in CSV: a header row, numeric feature columns and one target column.

#include "engine/data/Dataset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace netdraft::engine {

/// The cells of a CSV file: the header and every non-blank row with its 1-based line number.
struct CsvTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<int64_t> lines;
};

/// Splits `path` into cells: comma separated, optional double quotes ("" inside quotes is a quote),
/// CRLF or LF line ends, blank lines skipped. Throws naming the line when a row's cell count differs
/// from the header's or a quote is left open.
CsvTable readCsvTable(const std::string& path);

/// Features N×F float32 from every column but `targetColumn`. The target becomes:
///  - regression (`classification` false): float N×1; every cell must be a number;
///  - classification with integer cells: classes are the distinct integers in ascending order
///    (labels 0..K-1 map to themselves), named by their text;
///  - classification with any non-numeric cell: classes are the distinct texts in alphabetical order.
/// Non-integer numbers in a classification target are refused with a hint to choose regression.
/// Throws naming file, line and column for non-numeric or non-finite feature cells.
InMemoryDataset csvDataset(
    const CsvTable& table, const std::string& path, const std::string& targetColumn, bool classification);

} // namespace netdraft::engine
