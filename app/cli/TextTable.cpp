#include "app/cli/TextTable.h"

#include <algorithm>

namespace netdraft::app {

size_t displayWidth(const std::string& text)
{
    return static_cast<size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

TextTable::TextTable(std::vector<std::string> header, std::vector<Align> alignment)
    : alignment_(std::move(alignment))
{
    alignment_.resize(header.size(), Align::Left);
    rows_.push_back(std::move(header));
}

void TextTable::addRow(std::vector<std::string> cells)
{
    cells.resize(rows_.front().size());
    rows_.push_back(std::move(cells));
}

void TextTable::print(std::ostream& out) const
{
    std::vector<size_t> widths(alignment_.size(), 0);
    for (const auto& row : rows_)
        for (size_t i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], displayWidth(row[i]));
    auto printRow = [&](const std::vector<std::string>& row) {
        std::string line;
        for (size_t i = 0; i < row.size(); ++i) {
            const std::string padding(widths[i] - displayWidth(row[i]), ' ');
            line += i > 0 ? "  " : "";
            line += alignment_[i] == Align::Right ? padding + row[i] : row[i] + padding;
        }
        line.erase(line.find_last_not_of(' ') + 1);
        out << line << '\n';
    };
    printRow(rows_.front());
    size_t total = 0;
    for (size_t width : widths)
        total += width;
    out << std::string(total + 2 * (widths.size() - 1), '-') << '\n';
    for (size_t i = 1; i < rows_.size(); ++i)
        printRow(rows_[i]);
}

} // namespace netdraft::app
