#pragma once
// Plain-text tables for terminal output, aligned by characters rather than bytes ("N×3×32×32").

#include <ostream>
#include <string>
#include <vector>

namespace netdraft::app {

/// Rows of cells under a header; columns as wide as their widest cell.
class TextTable {
public:
    enum class Align { Left, Right };

    TextTable(std::vector<std::string> header, std::vector<Align> alignment);
    void addRow(std::vector<std::string> cells);
    /// Header, a rule, then the rows; two spaces between columns.
    void print(std::ostream& out) const;

private:
    std::vector<std::vector<std::string>> rows_; ///< the header first
    std::vector<Align> alignment_;
};

/// Characters in UTF-8 text (continuation bytes not counted).
size_t displayWidth(const std::string& text);

} // namespace netdraft::app
