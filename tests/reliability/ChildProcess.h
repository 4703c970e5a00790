#pragma once
// Small POSIX process helpers for the reliability tests: start a program with its stdout (and
// optionally its stdin) on a pipe, exchange lines, kill it.

#include <string>
#include <vector>

#include <sys/types.h>

namespace netdraft::tests {

/// A started child process; its stdout is readable through `output`, its stdin (when started with
/// `withInput`) writable through `input`.
struct ChildProcess {
    pid_t pid = -1;
    int output = -1;
    int input = -1;
};

/// Starts `program` with `arguments` (argv[1..]); stderr is inherited, or joins stdout on the pipe
/// when `mergeErrors`; stdin is inherited, or a pipe when `withInput`. Returns pid -1 on failure.
ChildProcess startProcess(const std::string& program, const std::vector<std::string>& arguments,
    bool mergeErrors = false, bool withInput = false);

/// Reads one line (without its newline) from the child's stdout; false when the pipe closes or
/// `timeoutMs` passes first.
bool readLine(const ChildProcess& child, std::string& line, int timeoutMs);

/// Writes `line` and a newline to the child's stdin; false when that fails.
bool writeLine(const ChildProcess& child, const std::string& line);

/// Everything the child writes to the pipe until it closes, or until `timeoutMs` passes (then
/// `timedOut` is set).
std::string readAll(const ChildProcess& child, int timeoutMs, bool& timedOut);

/// Reads the child's stdout until a line equal to `line` arrives (true), the pipe closes or
/// `timeoutMs` passes (false).
bool waitForLine(const ChildProcess& child, const std::string& line, int timeoutMs);

/// SIGKILLs the child (when `kill` is true), reaps it, closes the pipes and returns the wait status.
int finishProcess(ChildProcess& child, bool kill);

/// Reaps the child within `timeoutMs` (killing it after that) and returns the wait status.
int waitProcess(ChildProcess& child, int timeoutMs);

} // namespace netdraft::tests
