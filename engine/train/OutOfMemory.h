#pragma once
// Recognises running out of device memory during training and says what to do about it.

#include <cstdint>
#include <exception>
#include <optional>
#include <string>

namespace netdraft::engine {

/// When `error` is an out-of-memory error (c10::OutOfMemoryError from LibTorch 2.x, a c10::Error saying
/// "out of memory" from 1.13, std::bad_alloc), the message to show: it names the device and the batch
/// size and suggests a smaller one. Otherwise nothing.
std::optional<std::string> outOfMemoryMessage(
    const std::exception& error, int64_t batchSize, const std::string& device);

} // namespace netdraft::engine
