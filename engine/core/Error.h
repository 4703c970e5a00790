#pragma once
// The engine's one error type and its check macro.

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace netdraft::engine {

/// Thrown by the engine; the message names the place (block, parameter, file, offset) and what was expected.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

namespace detail {
template <typename... Parts>
std::string concat(Parts&&... parts)
{
    std::ostringstream out;
    (out << ... << std::forward<Parts>(parts));
    return out.str();
}
} // namespace detail

} // namespace netdraft::engine

/// Throws netdraft::engine::Error with the concatenated message parts when `condition` is false.
#define ND_CHECK(condition, ...)                                                                     \
    do {                                                                                             \
        if (!(condition))                                                                            \
            throw ::netdraft::engine::Error(::netdraft::engine::detail::concat(__VA_ARGS__));      \
    } while (false)
