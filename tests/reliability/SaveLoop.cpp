// Helper of KillDuringSaveTest: saves one kind of file in a loop, alternating two versions, until it
// is killed. Usage:
//   netdraft_save_loop project|checkpoint|export <target> [saves]
//   netdraft_save_loop serve-project|serve-checkpoint|serve-export <target>
// It starts the way the app and the CLI do (loading the project beside the target, which clears
// temporary files that killed saves left in that folder), prints "ready" once the contents are built,
// then saves version B, A, B, ... (the test writes A first). With [saves] it stops after that many.
//
// "serve-<kind>" pays the LibTorch process start (~0.7 s of a ~0.8 s trial) once: it builds both
// versions, prints "serving", and then reads commands from stdin. "start" forks a child that does
// what a fresh helper does after LibTorch is loaded (loads the project, which clears the folder's
// stale temporary files; prints "ready <pid>"; saves B, A, B, ... until killed); "reap" waits for that
// child (the test has killed it) and prints "status <wait status>". End of input ends the server.

#include "engine/io/ProjectFormat.h"
#include "tests/reliability/SaveContents.h"

#include <torch/torch.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using namespace netdraft::tests;

std::filesystem::path startProject(const std::string& target)
{
    return std::filesystem::path(target).parent_path() / "start.netdraft";
}

/// Builds and caches both versions, and runs each save path once, so that after "ready" the process
/// does nothing but save.
void prepare(SaveKind kind, const std::string& target)
{
    const std::string scratch = (std::filesystem::path(target).parent_path() / "warmup.tmp").string();
    saveVersion(kind, 'A', scratch);
    saveVersion(kind, 'B', scratch);
    std::filesystem::remove(scratch);
}

[[noreturn]] void saveForever(SaveKind kind, const std::string& target)
{
    for (long i = 0;; ++i)
        saveVersion(kind, i % 2 == 0 ? 'B' : 'A', target);
}

/// The forked child of "serve": a process start without the LibTorch start.
[[noreturn]] void servedChild(SaveKind kind, const std::string& target)
{
    try {
        netdraft::engine::loadProjectFile(startProject(target).string());
        std::printf("ready %ld\n", static_cast<long>(::getpid()));
        std::fflush(stdout);
        saveForever(kind, target);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "netdraft_save_loop child: %s\n", error.what());
    }
    ::_exit(1); // never run the server's exit handlers in the child
}

int serve(SaveKind kind, const std::string& target)
{
    netdraft::engine::loadProjectFile(startProject(target).string());
    prepare(kind, target);
    std::printf("serving\n");
    std::fflush(stdout);
    pid_t child = -1;
    char command[64];
    while (std::fgets(command, sizeof command, stdin)) {
        command[std::strcspn(command, "\n")] = '\0';
        if (std::strcmp(command, "start") == 0) {
            std::fflush(stdout);
            child = ::fork();
            if (child == 0)
                servedChild(kind, target);
            if (child < 0) {
                std::printf("error fork failed\n");
                std::fflush(stdout);
            }
        } else if (std::strcmp(command, "reap") == 0 && child > 0) {
            int status = 0;
            while (::waitpid(child, &status, 0) < 0 && errno == EINTR) { }
            child = -1;
            std::printf("status %d\n", status);
            std::fflush(stdout);
        }
    }
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s [serve-]project|checkpoint|export <target> [saves]\n", argv[0]);
        return 2;
    }
    try {
        torch::set_num_threads(1);
        torch::set_num_interop_threads(1); // no pool thread may hold a lock when "serve" forks
        const std::string mode = argv[1];
        if (mode == "seeds") {
            writeSeedFiles(argv[2]);
            return 0;
        }
        // "once-<kind>": one save of version B, for DiskFullTest (which sets RLIMIT_FSIZE before exec).
        if (mode.rfind("once-", 0) == 0) {
            saveVersion(saveKindFromName(mode.substr(5)), 'B', argv[2]);
            return 3; // the save succeeded
        }
        if (mode.rfind("serve-", 0) == 0)
            return serve(saveKindFromName(mode.substr(6)), argv[2]);
        const SaveKind kind = saveKindFromName(mode);
        const std::string target = argv[2];
        const long saves = argc > 3 ? std::stol(argv[3]) : -1;
        netdraft::engine::loadProjectFile(startProject(target).string());
        prepare(kind, target);
        std::printf("ready\n");
        std::fflush(stdout);
        if (saves < 0)
            saveForever(kind, target);
        for (long i = 0; i < saves; ++i)
            saveVersion(kind, i % 2 == 0 ? 'B' : 'A', target);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "netdraft_save_loop: %s\n", error.what());
        return 1;
    }
    return 0;
}
