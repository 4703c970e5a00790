#include "engine/experiment/TrialProcess.h"

#include "engine/core/Error.h"

#include <cerrno>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

extern char** environ;

namespace netdraft::engine {

std::unique_ptr<TrialProcess> TrialProcess::start(const std::vector<std::string>& arguments, const std::string& logPath)
{
    ND_CHECK(!arguments.empty(), "a trial process needs a program to run");
    std::vector<char*> argv;
    for (const auto& argument : arguments)
        argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);

    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&files, STDOUT_FILENO, STDERR_FILENO);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    // Its own process group; default signal handling and an empty mask, whatever the sweep set up.
    sigset_t none;
    sigemptyset(&none);
    sigset_t all;
    sigfillset(&all);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setflags(
        &attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = -1;
    const int error = posix_spawn(&pid, argv[0], &files, &attributes, argv.data(), environ);
    posix_spawn_file_actions_destroy(&files);
    posix_spawnattr_destroy(&attributes);
    ND_CHECK(error == 0, "cannot start ", arguments.front(), ": ", std::strerror(error));
    return std::unique_ptr<TrialProcess>(new TrialProcess(pid));
}

TrialProcess::~TrialProcess()
{
    if (!ended_) {
        kill();
        wait();
    }
}

bool TrialProcess::poll()
{
    if (ended_)
        return true;
    int status = 0;
    const pid_t result = ::waitpid(pid_, &status, WNOHANG);
    if (result == pid_) {
        ended_ = true;
        status_ = status;
    } else if (result < 0 && errno != EINTR) {
        ended_ = true; // reaped elsewhere or gone: nothing more to learn
        status_ = 0x7f00; // "exited with status 127"
    }
    return ended_;
}

void TrialProcess::wait()
{
    while (!ended_) {
        int status = 0;
        const pid_t result = ::waitpid(pid_, &status, 0);
        if (result == pid_) {
            ended_ = true;
            status_ = status;
        } else if (result < 0 && errno != EINTR) {
            ended_ = true;
            status_ = 0x7f00;
        }
    }
}

bool TrialProcess::succeeded() const
{
    return ended_ && WIFEXITED(status_) && WEXITSTATUS(status_) == 0;
}

std::string TrialProcess::endDescription() const
{
    if (!ended_)
        return "running";
    if (WIFEXITED(status_))
        return "exited with status " + std::to_string(WEXITSTATUS(status_));
    if (WIFSIGNALED(status_)) {
        const int signal = WTERMSIG(status_);
        const char* name = strsignal(signal);
        return "killed by signal " + std::to_string(signal) + (name ? std::string(" (") + name + ")" : std::string());
    }
    return "ended with status " + std::to_string(status_);
}

void TrialProcess::interrupt()
{
    if (!ended_)
        ::kill(pid_, SIGINT);
}

void TrialProcess::kill()
{
    if (!ended_)
        ::kill(pid_, SIGKILL);
}

} // namespace netdraft::engine
