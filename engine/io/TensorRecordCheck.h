#pragma once
// Storage records of TorchScript-format archives (checkpoints, exports) against their pickles.
// torch::jit::load sizes each storage from the pickle and takes the record's bytes without comparing
// the two, so a record shorter than its pickle claims gives tensors that read past their buffer.

#include "engine/io/ZipContainerCheck.h"

#include <string>

namespace torch::jit {
class DeserializationStorageContext;
}

namespace netdraft::engine {

/// Throws Error naming `sourceName` and the record when a storage in `storages` (read from
/// "<archive>/<pickle>.pkl") declares more bytes than its record "<archive>/<pickle>/<key>" holds.
void checkStorageRecordSizes(torch::jit::DeserializationStorageContext& storages, const PtArchiveContents& contents,
    const std::string& pickle, const std::string& sourceName);

/// Unpickles "<archive>/data.pkl" and "<archive>/constants.pkl" of the checked archive `bytes`
/// (`contents` from checkPtArchive) with placeholder classes — no TorchScript code is compiled or
/// run — and throws Error naming `sourceName` and the record when a storage declares more bytes
/// than its record holds.
void checkTensorRecordSizes(const std::string& bytes, const PtArchiveContents& contents, const std::string& sourceName);

} // namespace netdraft::engine
