#include "engine/distributed/LocalJob.h"

#include "engine/core/Error.h"
#include "engine/distributed/DistributedContext.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace netdraft::engine {

DistributedEnvironment LocalJob::environment(int rank) const
{
    ND_CHECK(processes >= 1 && rank >= 0 && rank < processes, "distributed: rank ", rank, " of ", processes,
        " processes does not exist");
    DistributedEnvironment environment;
    environment.rank = rank;
    environment.worldSize = processes;
    environment.localRank = rank;
    environment.localWorldSize = processes;
    environment.masterAddress = "127.0.0.1";
    environment.masterPort = port;
    environment.timeout = timeout;
    return environment;
}

std::vector<std::pair<std::string, std::string>> LocalJob::variables(const DistributedEnvironment& environment)
{
    return { { "RANK", std::to_string(environment.rank) }, { "WORLD_SIZE", std::to_string(environment.worldSize) },
        { "LOCAL_RANK", std::to_string(environment.localRank) },
        { "LOCAL_WORLD_SIZE", std::to_string(environment.localWorldSize) },
        { "MASTER_ADDR", environment.masterAddress }, { "MASTER_PORT", std::to_string(environment.masterPort) } };
}

std::vector<std::string> LocalJob::variablesToClear()
{
    return { "TORCHELASTIC_USE_AGENT_STORE", "TORCHELASTIC_RESTART_COUNT", "GROUP_RANK", "ROLE_RANK" };
}

int freeLocalPort()
{
    const int socket = ::socket(AF_INET, SOCK_STREAM, 0);
    ND_CHECK(socket >= 0, "distributed: cannot open a socket to find a free port: ", std::strerror(errno));
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    const bool found = ::bind(socket, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0
        && ::getsockname(socket, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    const int error = errno;
    ::close(socket);
    ND_CHECK(found, "distributed: no free port on 127.0.0.1: ", std::strerror(error));
    return ntohs(address.sin_port);
}

JoinedJob joinJob(const DistributedEnvironment& environment, const std::string& backend)
{
    JoinedJob joined;
    joined.context = DistributedContext::connect(environment, backend);
    joined.description = joined.context->description();
    return joined;
}

} // namespace netdraft::engine
