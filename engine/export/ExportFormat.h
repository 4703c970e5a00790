#pragma once
// What the export formats are, for menus and command lines: each format registers itself from its
// own file (engine/export/formats/), so adding one touches no list. Free of LibTorch (the desktop
// app draws File ▸ Export from it).

#include <string>
#include <vector>

namespace netdraft::engine {

/// How a format presents itself.
struct ExportFormatInfo {
    std::string name;        ///< stable word: the CLI's --format value ("torchscript")
    std::string title;       ///< what menus call it ("TorchScript": "Export TorchScript…")
    std::string description; ///< one line for status tips and --help
    std::string fileFilter;  ///< save-dialog filter, "TorchScript archives (*.pt)"; empty: writes a folder
    std::string suggestedSuffix; ///< appended to the project's base name: ".pt", "-weights.pt", "-pytorch"
    int listPosition = 0;    ///< order in menus and lists

    bool writesFolder() const { return fileFilter.empty(); }
};

/// Every registered format, in list order.
std::vector<ExportFormatInfo> exportFormats();
/// The names of exportFormats(), in list order.
std::vector<std::string> exportFormatNames();
/// The format called `name`; throws Error naming the accepted words otherwise.
const ExportFormatInfo& exportFormat(const std::string& name);

} // namespace netdraft::engine
