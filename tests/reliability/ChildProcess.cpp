#include "tests/reliability/ChildProcess.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace netdraft::tests {

ChildProcess startProcess(
    const std::string& program, const std::vector<std::string>& arguments, bool mergeErrors, bool withInput)
{
    ChildProcess child;
    int pipeEnds[2];
    if (::pipe(pipeEnds) != 0)
        return child;
    int inputEnds[2] = { -1, -1 };
    // Close-on-exec: other children must not hold the write end open (its end of input ends the child).
    if (withInput && ::pipe2(inputEnds, O_CLOEXEC) != 0) {
        ::close(pipeEnds[0]);
        ::close(pipeEnds[1]);
        return child;
    }
    std::vector<std::string> strings { program };
    strings.insert(strings.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (std::string& item : strings)
        argv.push_back(item.data());
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(pipeEnds[1], STDOUT_FILENO);
        if (mergeErrors)
            ::dup2(pipeEnds[1], STDERR_FILENO);
        ::close(pipeEnds[0]);
        ::close(pipeEnds[1]);
        if (withInput) {
            ::dup2(inputEnds[0], STDIN_FILENO);
            ::close(inputEnds[0]);
            ::close(inputEnds[1]);
        }
        ::execv(program.c_str(), argv.data());
        ::_exit(127);
    }
    ::close(pipeEnds[1]);
    if (withInput)
        ::close(inputEnds[0]);
    if (pid < 0) {
        ::close(pipeEnds[0]);
        if (withInput)
            ::close(inputEnds[1]);
        return child;
    }
    child.pid = pid;
    child.output = pipeEnds[0];
    child.input = inputEnds[1];
    return child;
}

bool readLine(const ChildProcess& child, std::string& line, int timeoutMs)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    line.clear();
    for (;;) {
        const auto left
            = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
                  .count();
        if (left <= 0)
            return false;
        pollfd request { child.output, POLLIN, 0 };
        const int ready = ::poll(&request, 1, static_cast<int>(left));
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            return false;
        char c;
        const ssize_t got = ::read(child.output, &c, 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        if (c == '\n')
            return true;
        line += c;
    }
}

bool waitForLine(const ChildProcess& child, const std::string& line, int timeoutMs)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    std::string received;
    for (;;) {
        const auto left
            = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
                  .count();
        if (left <= 0 || !readLine(child, received, static_cast<int>(left)))
            return false;
        if (received == line)
            return true;
    }
}

bool writeLine(const ChildProcess& child, const std::string& line)
{
    const std::string text = line + "\n";
    size_t written = 0;
    while (written < text.size()) {
        const ssize_t done = ::write(child.input, text.data() + written, text.size() - written);
        if (done < 0 && errno == EINTR)
            continue;
        if (done <= 0)
            return false;
        written += static_cast<size_t>(done);
    }
    return true;
}

std::string readAll(const ChildProcess& child, int timeoutMs, bool& timedOut)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    std::string text;
    timedOut = false;
    for (;;) {
        const auto left
            = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
                  .count();
        if (left <= 0) {
            timedOut = true;
            return text;
        }
        pollfd request { child.output, POLLIN, 0 };
        const int ready = ::poll(&request, 1, static_cast<int>(left));
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready == 0) {
            timedOut = true;
            return text;
        }
        char buffer[4096];
        const ssize_t got = ::read(child.output, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return text;
        text.append(buffer, static_cast<size_t>(got));
    }
}

int finishProcess(ChildProcess& child, bool kill)
{
    int status = 0;
    if (child.pid > 0) {
        if (kill)
            ::kill(child.pid, SIGKILL);
        while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) { }
    }
    if (child.output >= 0)
        ::close(child.output);
    if (child.input >= 0)
        ::close(child.input);
    child = ChildProcess {};
    return status;
}

int waitProcess(ChildProcess& child, int timeoutMs)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    int status = 0;
    while (child.pid > 0) {
        const pid_t done = ::waitpid(child.pid, &status, WNOHANG);
        if (done == child.pid) {
            child.pid = -1;
            break;
        }
        if (std::chrono::steady_clock::now() > deadline)
            return finishProcess(child, true);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    finishProcess(child, false); // closes the pipe
    return status;
}

} // namespace netdraft::tests
