#pragma once
// Which dataset kind reads a file or folder: every kind read from disk registers a recogniser next to
// its loader (DatasetRegistry), and detection asks them all. `netdraft-cli train --data` and the
// dataset panel's Choose File/Folder pick the kind this way. Qt-safe: no LibTorch behind it.

#include <string>
#include <vector>

namespace netdraft::engine {

/// The kinds that recognise `path`, in list order (DatasetSpec::kinds()); empty when none does.
std::vector<std::string> datasetKindsRecognising(const std::string& path);

/// The kind that reads `path`: `preferred` when it is one of those that recognise it (MNIST and
/// Fashion-MNIST files look alike), else the first in list order. Throws Error
/// "<path>: no dataset kind recognises it; expected …" (or "<path>: no such file or folder; expected …")
/// listing what the kinds on disk read.
std::string detectDatasetKind(const std::string& path, const std::string& preferred = {});

/// True when `kind` is read from disk (it takes a path); false for generated and unknown kinds.
bool datasetKindReadsFiles(const std::string& kind);

/// What the kinds on disk read, for messages: "MNIST IDX files (…), …, or a .csv file".
std::string expectedDatasetFiles();

} // namespace netdraft::engine
