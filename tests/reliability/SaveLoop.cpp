// Helper of KillDuringSaveTest: saves one kind of file in a loop, alternating two versions, until it
// is killed. Usage: netdraft_save_loop project|checkpoint|export <target> [saves]
// It starts the way the app and the CLI do (loading the project beside the target, which clears
// temporary files that killed saves left in that folder), prints "ready" once the contents are built,
// then saves version B, A, B, ... (the test writes A first). With [saves] it stops after that many.

#include "engine/io/ProjectFormat.h"
#include "tests/reliability/SaveContents.h"

#include <torch/torch.h>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>

int main(int argc, char** argv)
{
    using namespace netdraft::tests;
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s project|checkpoint|export <target> [saves]\n", argv[0]);
        return 2;
    }
    try {
        torch::set_num_threads(1);
        if (std::string(argv[1]) == "seeds") {
            writeSeedFiles(argv[2]);
            return 0;
        }
        // "once-<kind>": one save of version B, for DiskFullTest (which sets RLIMIT_FSIZE before exec).
        if (std::string(argv[1]).rfind("once-", 0) == 0) {
            saveVersion(saveKindFromName(std::string(argv[1]).substr(5)), 'B', argv[2]);
            return 3; // the save succeeded
        }
        const SaveKind kind = saveKindFromName(argv[1]);
        const std::string target = argv[2];
        const long saves = argc > 3 ? std::stol(argv[3]) : -1;
        const std::filesystem::path folder = std::filesystem::path(target).parent_path();
        netdraft::engine::loadProjectFile((folder / "start.netdraft").string());
        // Build and cache both versions before announcing readiness: after "ready" the process
        // does nothing but save.
        const std::string scratch = (folder / "warmup.tmp").string();
        saveVersion(kind, 'A', scratch);
        saveVersion(kind, 'B', scratch);
        std::filesystem::remove(scratch);
        std::printf("ready\n");
        std::fflush(stdout);
        for (long i = 0; saves < 0 || i < saves; ++i)
            saveVersion(kind, i % 2 == 0 ? 'B' : 'A', target);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "netdraft_save_loop: %s\n", error.what());
        return 1;
    }
    return 0;
}
