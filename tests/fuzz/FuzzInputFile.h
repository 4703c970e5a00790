#pragma once
// The fuzz input as a file, for the readers that take a path: one file per process in $TMPDIR
// (or /tmp), rewritten for every input and removed at exit.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace netdraft::fuzz {

/// Writes `data` to this process's input file and returns its path.
inline const std::string& writeInputFile(const uint8_t* data, size_t size, const char* suffix)
{
    static const std::string path = [suffix] {
        const char* folder = std::getenv("TMPDIR");
        return std::string(folder && *folder ? folder : "/tmp") + "/netdraft-fuzz-" + std::to_string(::getpid())
            + suffix;
    }();
    static const bool registered = [] {
        std::atexit([] { std::remove(path.c_str()); });
        return true;
    }();
    (void)registered;
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (!file)
        std::abort(); // the harness itself cannot run: not a finding
    if (size > 0)
        std::fwrite(data, 1, size, file);
    std::fclose(file);
    return path;
}

} // namespace netdraft::fuzz
