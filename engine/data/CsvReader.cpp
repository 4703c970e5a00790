#include "engine/data/CsvReader.h"

#include "engine/core/Error.h"
#include "engine/data/DatasetRegistry.h"
#include "engine/data/FileBytes.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>

namespace netdraft::engine {
namespace {

std::string trimmed(const std::string& text)
{
    size_t first = text.find_first_not_of(" \t");
    size_t last = text.find_last_not_of(" \t");
    return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

/// The cell as a finite number, or nothing when it is not one.
std::optional<double> parseNumber(const std::string& cell)
{
    std::string text = trimmed(cell);
    if (text.empty())
        return std::nullopt;
    char* end = nullptr;
    errno = 0;
    double value = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(value))
        return std::nullopt;
    return value;
}

/// Splits one record; returns false when a quoted cell is still open at the end of `line`.
bool splitRecord(const std::string& line, std::vector<std::string>& cells)
{
    cells.assign(1, std::string());
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
            cells.back() += '"';
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            cells.emplace_back();
        } else {
            cells.back() += c;
        }
    }
    return !quoted;
}

LoadedDataset loadCsv(const DatasetRequest& request)
{
    ND_CHECK(!request.path.empty(), "csv: set the dataset path to a .csv file");
    CsvTable table = readCsvTable(request.path);
    return { csvDataset(table, request.path, request.spec.targetColumn, request.expected.classification),
        std::nullopt };
}

/// A file named *.csv (any case), or *.csv.gz: readFileBytes gunzips it.
bool isCsvFile(const std::string& path)
{
    std::string name = std::filesystem::path(path).filename().string();
    std::transform(
        name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto endsWith = [&](const std::string& suffix) {
        return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return isFile(path) && (endsWith(".csv") || endsWith(".csv.gz"));
}

NETDRAFT_REGISTER_DATASET("csv", 160, loadCsv, DatasetFiles { "a .csv file", isCsvFile });

} // namespace

CsvTable readCsvTable(const std::string& path)
{
    FileBytes file = readFileBytes(path);
    const std::string text(file.bytes.begin(), file.bytes.end());
    CsvTable table;
    std::vector<std::string> cells;
    int64_t lineNumber = 0;
    for (size_t start = 0; start < text.size();) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        std::string line = text.substr(start, end - start);
        start = end + 1;
        ++lineNumber;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (trimmed(line).empty())
            continue;
        ND_CHECK(splitRecord(line, cells), path, ", line ", lineNumber, ": a quoted cell is not closed");
        if (table.header.empty()) {
            for (auto& cell : cells)
                table.header.push_back(trimmed(cell));
            continue;
        }
        ND_CHECK(cells.size() == table.header.size(), path, ", line ", lineNumber, ": ", cells.size(),
            " cells but the header has ", table.header.size(), " columns");
        table.rows.push_back(cells);
        table.lines.push_back(lineNumber);
    }
    ND_CHECK(!table.header.empty(), path, ": file is empty, expected a header row");
    ND_CHECK(!table.rows.empty(), path, ": holds a header but no data rows");
    return table;
}

InMemoryDataset csvDataset(
    const CsvTable& table, const std::string& path, const std::string& targetColumn, bool classification)
{
    int64_t target = -1;
    std::string columns;
    for (size_t c = 0; c < table.header.size(); ++c) {
        if (table.header[c] == targetColumn)
            target = static_cast<int64_t>(c);
        columns += (columns.empty() ? "" : ", ") + table.header[c];
    }
    ND_CHECK(target >= 0, path, ": no target column '", targetColumn, "'; the header has: ", columns);
    ND_CHECK(table.header.size() >= 2, path, ": needs at least one feature column besides '", targetColumn, "'");

    const int64_t rows = static_cast<int64_t>(table.rows.size());
    const int64_t features = static_cast<int64_t>(table.header.size()) - 1;
    InMemoryDataset data;
    data.inputs = torch::empty({ rows, features }, torch::kFloat32);
    float* values = data.inputs.data_ptr<float>();
    std::vector<std::optional<double>> targetNumbers(static_cast<size_t>(rows));
    bool allNumeric = true, allIntegers = true;
    for (int64_t r = 0; r < rows; ++r) {
        const auto& row = table.rows[r];
        int64_t f = 0;
        for (size_t c = 0; c < row.size(); ++c) {
            if (static_cast<int64_t>(c) == target)
                continue;
            std::optional<double> number = parseNumber(row[c]);
            ND_CHECK(number.has_value(), path, ", line ", table.lines[r], ", column '", table.header[c],
                "': expected a number, got '", row[c], "'");
            values[r * features + f++] = static_cast<float>(*number);
        }
        targetNumbers[r] = parseNumber(row[target]);
        ND_CHECK(!trimmed(row[target]).empty(), path, ", line ", table.lines[r], ": the target '", targetColumn,
            "' is empty");
        allNumeric = allNumeric && targetNumbers[r].has_value();
        allIntegers = allIntegers && targetNumbers[r] && std::floor(*targetNumbers[r]) == *targetNumbers[r];
    }

    if (!classification) {
        data.targets = torch::empty({ rows, 1 }, torch::kFloat32);
        for (int64_t r = 0; r < rows; ++r) {
            ND_CHECK(targetNumbers[r].has_value(), path, ", line ", table.lines[r], ", column '", targetColumn,
                "': regression needs a number, got '", table.rows[r][target], "'");
            data.targets.data_ptr<float>()[r] = static_cast<float>(*targetNumbers[r]);
        }
        data.description
            = "CSV, " + std::to_string(rows) + " samples, " + std::to_string(features) + " features, regression";
        return data;
    }

    if (allNumeric && !allIntegers)
        for (int64_t r = 0; r < rows; ++r)
            ND_CHECK(std::floor(*targetNumbers[r]) == *targetNumbers[r], path, ", line ", table.lines[r], ", column '",
                targetColumn, "': class labels must be integers or text, got ", table.rows[r][target],
                " (set the Output task to regression for continuous targets)");
    // Ordered keys: integers numerically, texts alphabetically.
    std::map<double, std::string> integerClasses;
    std::map<std::string, int64_t> textClasses;
    for (int64_t r = 0; r < rows; ++r) {
        if (allNumeric)
            integerClasses.emplace(*targetNumbers[r], trimmed(table.rows[r][target]));
        else
            textClasses.emplace(trimmed(table.rows[r][target]), 0);
    }
    std::map<double, int64_t> integerIndex;
    for (const auto& [value, name] : integerClasses) {
        integerIndex[value] = static_cast<int64_t>(data.classNames.size());
        data.classNames.push_back(name);
    }
    for (auto& [name, index] : textClasses) {
        index = static_cast<int64_t>(data.classNames.size());
        data.classNames.push_back(name);
    }
    data.targets = torch::empty({ rows }, torch::kInt64);
    for (int64_t r = 0; r < rows; ++r)
        data.targets.data_ptr<int64_t>()[r]
            = allNumeric ? integerIndex.at(*targetNumbers[r]) : textClasses.at(trimmed(table.rows[r][target]));
    data.description = "CSV, " + std::to_string(rows) + " samples, " + std::to_string(features) + " features, "
        + std::to_string(data.classNames.size()) + " classes";
    return data;
}

} // namespace netdraft::engine
