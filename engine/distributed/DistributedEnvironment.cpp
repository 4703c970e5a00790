#include "engine/distributed/DistributedEnvironment.h"

#include "engine/core/Error.h"

#include <cstdlib>

namespace netdraft::engine {

namespace {

int parseInteger(const char* name, const char* text, int lowest, int highest)
{
    char* end = nullptr;
    const long value = std::strtol(text, &end, 10);
    ND_CHECK(end != text && *end == '\0' && value >= lowest && value <= highest, "distributed: ", name, "='", text,
        "' must be a whole number from ", lowest, " to ", highest);
    return static_cast<int>(value);
}

} // namespace

std::optional<DistributedEnvironment> DistributedEnvironment::fromEnvironment(
    const std::function<const char*(const char*)>& lookup)
{
    auto get = [&](const char* name) -> const char* { return lookup ? lookup(name) : std::getenv(name); };
    const char* worldSize = get("WORLD_SIZE");
    if (!worldSize || !*worldSize)
        return std::nullopt;
    DistributedEnvironment environment;
    environment.worldSize = parseInteger("WORLD_SIZE", worldSize, 1, 1 << 20);
    auto required = [&](const char* name) {
        const char* value = get(name);
        ND_CHECK(value && *value, "distributed: WORLD_SIZE is set but ", name,
            " is not; start the workers with torchrun (docs/DISTRIBUTED.md)");
        return value;
    };
    environment.rank = parseInteger("RANK", required("RANK"), 0, environment.worldSize - 1);
    environment.masterAddress = required("MASTER_ADDR");
    environment.masterPort = parseInteger("MASTER_PORT", required("MASTER_PORT"), 1, 65535);
    const char* localRank = get("LOCAL_RANK");
    environment.localRank = localRank && *localRank ? parseInteger("LOCAL_RANK", localRank, 0, 1 << 20) : 0;
    const char* localWorldSize = get("LOCAL_WORLD_SIZE");
    environment.localWorldSize
        = localWorldSize && *localWorldSize ? parseInteger("LOCAL_WORLD_SIZE", localWorldSize, 1, 1 << 20) : 1;
    const char* agentStore = get("TORCHELASTIC_USE_AGENT_STORE");
    environment.agentStore = agentStore && std::string(agentStore) == "True";
    const char* restarts = get("TORCHELASTIC_RESTART_COUNT");
    environment.restartCount = restarts && *restarts ? parseInteger("TORCHELASTIC_RESTART_COUNT", restarts, 0, 1 << 20) : 0;
    return environment;
}

} // namespace netdraft::engine
