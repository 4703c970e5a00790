#pragma once
// What the model import formats are, for menus and command lines: each format registers itself from
// its own file (engine/import/formats/), so adding one touches no list. Free of LibTorch (the desktop
// app draws File ▸ Open / Import Model… from it).

#include <cstdint>
#include <string>
#include <vector>

namespace netdraft::engine {

/// How an import format presents itself.
struct ImportFormatInfo {
    std::string name; ///< stable word: the CLI's --format value ("torchscript")
    std::string title; ///< what menus and filters call it ("PyTorch TorchScript")
    std::string description; ///< one line for status tips and --help
    std::vector<std::string> suffixes; ///< file name endings it reads, with the dot (".pt", ".pth")
    /// Loading the file runs code from it (TorchScript): callers say so before loading.
    bool runsCode = false;
    int listPosition = 0; ///< order in menus and lists
    /// The largest file it reads: the import reads the file once, refusing a larger one by name.
    std::uint64_t maxFileBytes = 0;

    /// "PyTorch TorchScript (*.pt *.pth)", for file dialogs.
    std::string fileFilter() const;
};

/// Every registered format, in list order.
std::vector<ImportFormatInfo> importFormats();
/// The names of importFormats(), in list order.
std::vector<std::string> importFormatNames();
/// The format called `name`; throws Error naming the accepted words otherwise.
const ImportFormatInfo& importFormat(const std::string& name);
/// The format whose suffix `path` ends with (case-insensitive); null when none does.
const ImportFormatInfo* importFormatForFile(const std::string& path);
/// One file-dialog filter per format, preceded by one for all of them: "Models (*.pt *.pth)".
std::vector<std::string> importFileFilters();

} // namespace netdraft::engine
