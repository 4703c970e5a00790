#pragma once
// Small POSIX process helpers for the reliability tests: start a program with its stdout on a
// pipe, wait for a line, kill it.

#include <string>
#include <vector>

#include <sys/types.h>

namespace netdraft::tests {

/// A started child process; its stdout is readable through `output`.
struct ChildProcess {
    pid_t pid = -1;
    int output = -1;
};

/// Starts `program` with `arguments` (argv[1..]); stderr is inherited, or joins stdout on the pipe
/// when `mergeErrors`. Returns pid -1 on failure.
ChildProcess startProcess(
    const std::string& program, const std::vector<std::string>& arguments, bool mergeErrors = false);

/// Everything the child writes to the pipe until it closes, or until `timeoutMs` passes (then
/// `timedOut` is set).
std::string readAll(const ChildProcess& child, int timeoutMs, bool& timedOut);

/// Reads the child's stdout until a line equal to `line` arrives (true), the pipe closes or
/// `timeoutMs` passes (false).
bool waitForLine(const ChildProcess& child, const std::string& line, int timeoutMs);

/// SIGKILLs the child (when `kill` is true), reaps it, closes the pipe and returns the wait status.
int finishProcess(ChildProcess& child, bool kill);

/// Reaps the child within `timeoutMs` (killing it after that) and returns the wait status.
int waitProcess(ChildProcess& child, int timeoutMs);

} // namespace netdraft::tests
