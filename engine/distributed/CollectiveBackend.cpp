#include "engine/distributed/CollectiveBackend.h"

#include "engine/core/Error.h"

namespace netdraft::engine {

CollectiveBackendRegistry& CollectiveBackendRegistry::instance()
{
    static CollectiveBackendRegistry registry;
    return registry;
}

void CollectiveBackendRegistry::add(const std::string& name, CollectiveBackendFactory factory)
{
    factories_[name] = std::move(factory);
}

std::unique_ptr<CollectiveBackend> CollectiveBackendRegistry::create(
    const std::string& name, const CollectiveBackendRequest& request) const
{
    const auto found = factories_.find(name);
    if (found == factories_.end()) {
        if (name == "gloo")
            throw Error("distributed training needs a build with Gloo: install libgloo-dev (scripts/setup.sh) and "
                        "configure again (NETDRAFT_WITH_GLOO)");
        throw Error("distributed training over " + name + " needs a LibTorch built with it (a CUDA LibTorch for "
            "nccl); this build has " + (factories_.empty() ? std::string("no backend") : factories_.begin()->first));
    }
    return found->second(request);
}

} // namespace netdraft::engine
