// The Gloo backend (CPU tensors, TCP). Compiled only when libgloo-dev is found. ProcessGroupGloo.hpp
// needs USE_C10D_GLOO, which Debian's TORCH_CXX_FLAGS define; other LibTorch packages may not.

#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO 1
#endif

#include "engine/distributed/CollectiveBackend.h"

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>

#include <cstdlib>

namespace netdraft::engine {

namespace {

class GlooBackend : public CollectiveBackend {
public:
    explicit GlooBackend(const CollectiveBackendRequest& request)
    {
        auto options = c10d::ProcessGroupGloo::Options::create(request.timeout);
        // Like PyTorch: GLOO_SOCKET_IFNAME names the interface; otherwise the given address, or this
        // machine's hostname when none is given (several machines).
        const char* interface = std::getenv("GLOO_SOCKET_IFNAME");
        if (interface && *interface)
            options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface));
        else if (!request.hostname.empty())
            options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(request.hostname));
        else
            options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
        // Two threads: one bucket reduces while the next is filled.
        options->threads = 2;
        group_ = c10::make_intrusive<c10d::ProcessGroupGloo>(request.store, request.rank, request.worldSize, options);
    }

    c10::intrusive_ptr<c10d::Work> allReduceSum(std::vector<at::Tensor>& tensors) override
    {
        c10d::AllreduceOptions options;
        options.reduceOp = c10d::ReduceOp::SUM;
        return group_->allreduce(tensors, options);
    }

    c10::intrusive_ptr<c10d::Work> broadcast(std::vector<at::Tensor>& tensors, int root) override
    {
        c10d::BroadcastOptions options;
        options.rootRank = root;
        return group_->broadcast(tensors, options);
    }

private:
    c10::intrusive_ptr<c10d::ProcessGroupGloo> group_;
};

} // namespace

NETDRAFT_REGISTER_COLLECTIVE_BACKEND("gloo", [](const CollectiveBackendRequest& request) {
    return std::unique_ptr<CollectiveBackend>(std::make_unique<GlooBackend>(request));
});

} // namespace netdraft::engine
