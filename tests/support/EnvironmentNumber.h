#pragma once
// Trial counts and seeds of the long tests come from the environment, so that CI can run fewer
// trials than `scripts/test.sh --long` without another build.

#include <cstdlib>

namespace netdraft::tests {

/// The integer in environment variable `name`, or `fallback` when it is unset or empty.
inline int environmentNumber(const char* name, int fallback)
{
    const char* value = std::getenv(name);
    return value && *value ? std::atoi(value) : fallback;
}

} // namespace netdraft::tests
