#pragma once
// The collectives data-parallel training uses, over one c10d backend (Gloo on CPUs; NCCL where the
// LibTorch has it). Backends register themselves, so a build without Gloo simply has none.

#include <torch/torch.h>
#include <torch/csrc/distributed/c10d/Store.hpp>
#include <torch/csrc/distributed/c10d/Work.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace netdraft::engine {

/// One process group's collectives. LibTorch 1.13 calls the Gloo group a ProcessGroup and 2.x a
/// Backend; this interface hides which, so the trainer has one code path.
class CollectiveBackend {
public:
    virtual ~CollectiveBackend() = default;
    /// Sums `tensors` (one per device of this process; here always one) over all ranks, in place.
    virtual c10::intrusive_ptr<c10d::Work> allReduceSum(std::vector<at::Tensor>& tensors) = 0;
    /// Overwrites `tensors` with rank `root`'s.
    virtual c10::intrusive_ptr<c10d::Work> broadcast(std::vector<at::Tensor>& tensors, int root) = 0;
};

/// How to make a backend's process group once the store is connected.
struct CollectiveBackendRequest {
    c10::intrusive_ptr<c10d::Store> store;
    int rank = 0;
    int worldSize = 1;
    std::string hostname; ///< the address this rank's transport binds to
    std::chrono::milliseconds timeout { std::chrono::seconds(120) };
};

using CollectiveBackendFactory = std::function<std::unique_ptr<CollectiveBackend>(const CollectiveBackendRequest&)>;

/// The backends this build has, by name ("gloo", "nccl").
class CollectiveBackendRegistry {
public:
    static CollectiveBackendRegistry& instance();
    void add(const std::string& name, CollectiveBackendFactory factory);
    bool has(const std::string& name) const { return factories_.count(name) > 0; }
    /// Throws Error when `name` was not built in, saying which build has it.
    std::unique_ptr<CollectiveBackend> create(const std::string& name, const CollectiveBackendRequest& request) const;

private:
    std::map<std::string, CollectiveBackendFactory> factories_;
};

} // namespace netdraft::engine

#define NETDRAFT_BACKEND_CONCAT_INNER(a, b) a##b
#define NETDRAFT_BACKEND_CONCAT(a, b) NETDRAFT_BACKEND_CONCAT_INNER(a, b)
/// Registers a collective backend at load time; once per backend in its own .cpp.
#define NETDRAFT_REGISTER_COLLECTIVE_BACKEND(name, factory)                                                            \
    static const bool NETDRAFT_BACKEND_CONCAT(netdraftBackendRegistered_, __LINE__)                                    \
        = (::netdraft::engine::CollectiveBackendRegistry::instance().add(name, factory), true)
