#pragma once
// LibTorch's errors carry a C++ backtrace in what(); users need only the message.

#include <c10/util/Exception.h>

#include <exception>
#include <string>

namespace netdraft::engine {

/// The message of `error` without LibTorch's backtrace.
inline std::string torchErrorText(const std::exception& error)
{
    if (const auto* torchError = dynamic_cast<const c10::Error*>(&error))
        return torchError->what_without_backtrace();
    return error.what();
}

} // namespace netdraft::engine
