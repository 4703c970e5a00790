#pragma once
// The message a call fails with, for tests that check errors by their text.

#include <exception>
#include <functional>
#include <string>

namespace netdraft::tests {

/// What `action` throws (std::exception::what()), or "(no error)" when it returns normally.
inline std::string errorOf(const std::function<void()>& action)
{
    try {
        action();
    } catch (const std::exception& error) {
        return error.what();
    }
    return "(no error)";
}

} // namespace netdraft::tests
