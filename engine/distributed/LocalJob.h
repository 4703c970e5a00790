#pragma once
// A data-parallel job whose workers Netdraft starts itself on this machine (the app's "Processes"
// setting) instead of torchrun: each worker's torchrun-style variables, a free port for rank 0's
// store, and joining the job without naming LibTorch types. Plain values; no LibTorch in this header.

#include "engine/distributed/DistributedEnvironment.h"

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace netdraft::engine {

class DistributedContext;

/// `processes` workers on 127.0.0.1; rank 0 hosts the store on `port`.
struct LocalJob {
    int processes = 1;
    int port = 0;
    std::chrono::milliseconds timeout { std::chrono::seconds(60) };

    /// Rank `rank`'s place in the job, as torchrun would describe it.
    DistributedEnvironment environment(int rank) const;
    /// The variables a worker process reads (RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE,
    /// MASTER_ADDR, MASTER_PORT), as (name, value).
    static std::vector<std::pair<std::string, std::string>> variables(const DistributedEnvironment& environment);
    /// torchrun's variables that must not reach a worker Netdraft starts (the agent's store, restarts).
    static std::vector<std::string> variablesToClear();
};

/// A TCP port on 127.0.0.1 that was free a moment ago (the kernel's choice). Throws Error if none.
int freeLocalPort();

/// A joined job: the context the trainer takes, and how it runs ("rank 0 of 2, gloo").
struct JoinedJob {
    std::shared_ptr<DistributedContext> context;
    std::string description;
};

/// DistributedContext::connect for callers that must not see LibTorch (the app's training thread).
JoinedJob joinJob(const DistributedEnvironment& environment, const std::string& backend);

} // namespace netdraft::engine
