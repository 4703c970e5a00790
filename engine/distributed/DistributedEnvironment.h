#pragma once
// Where this process sits in a data-parallel job, read from the variables torchrun sets (RANK,
// WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT, TORCHELASTIC_*). Plain values; no LibTorch.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace netdraft::engine {

/// One worker's place in the job and how to reach the rendezvous store.
struct DistributedEnvironment {
    int rank = 0;
    int worldSize = 1;
    int localRank = 0; ///< the rank on this machine: picks the GPU
    int localWorldSize = 1; ///< workers on this machine: shares the CPU cores
    std::string masterAddress = "127.0.0.1";
    int masterPort = 29500;
    /// torchrun's agent hosts the store (TORCHELASTIC_USE_AGENT_STORE=True): every rank, rank 0 too,
    /// connects as a client. Otherwise rank 0 hosts it.
    bool agentStore = false;
    int restartCount = 0; ///< TORCHELASTIC_RESTART_COUNT: keys of each attempt live under their own prefix
    std::chrono::milliseconds timeout { std::chrono::seconds(120) }; ///< collectives and the store

    bool isMain() const { return rank == 0; }
    /// The store prefix of this attempt, as PyTorch's env:// rendezvous names it.
    std::string storePrefix() const { return "/worker/attempt_" + std::to_string(restartCount) + "/"; }

    /// The job described by `lookup` (getenv by default), or nothing when WORLD_SIZE is unset.
    /// Throws Error naming the variable that is missing or out of range.
    static std::optional<DistributedEnvironment> fromEnvironment(
        const std::function<const char*(const char*)>& lookup = {});
};

} // namespace netdraft::engine
