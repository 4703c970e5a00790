#pragma once
// One trial as a child process (POSIX): started with its output going to a log file, in its own
// process group so that a terminal's Ctrl+C reaches only the sweep, which decides what to forward.

#include <memory>
#include <string>
#include <vector>

#include <sys/types.h>

namespace netdraft::engine {

class TrialProcess {
public:
    /// Starts `arguments` (the first is the program's path) with stdout and stderr appended to
    /// `logPath`; throws Error naming the program when it cannot be started.
    static std::unique_ptr<TrialProcess> start(const std::vector<std::string>& arguments, const std::string& logPath);
    /// Kills and reaps a process still running.
    ~TrialProcess();
    TrialProcess(const TrialProcess&) = delete;
    TrialProcess& operator=(const TrialProcess&) = delete;

    pid_t pid() const { return pid_; }
    /// Whether the process has ended (reaps it; never blocks).
    bool poll();
    /// Blocks until the process has ended.
    void wait();
    bool ended() const { return ended_; }
    /// Ended by exit(0).
    bool succeeded() const;
    /// "exited with status 3", "killed by signal 9 (Killed)".
    std::string endDescription() const;
    /// SIGINT: netdraft-cli train stops after the batch and writes its checkpoint and result.
    void interrupt();
    /// SIGKILL.
    void kill();

private:
    explicit TrialProcess(pid_t pid) : pid_(pid) {}
    pid_t pid_ = -1;
    bool ended_ = false;
    int status_ = 0;
};

} // namespace netdraft::engine
