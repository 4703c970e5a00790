#include "engine/distributed/DistributedContext.h"

#include "engine/core/Error.h"
#include "engine/distributed/RankMonitor.h"

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>

namespace netdraft::engine {

namespace {

/// Connects to (or, when `host`, hosts) the job's TCPStore under this attempt's prefix.
c10::intrusive_ptr<c10d::Store> openStore(const DistributedEnvironment& environment, bool host)
{
    c10d::TCPStoreOptions options;
    options.port = static_cast<std::uint16_t>(environment.masterPort);
    options.isServer = host;
    if (host)
        options.numWorkers = static_cast<std::size_t>(environment.worldSize);
    options.waitWorkers = false;
    options.timeout = environment.timeout;
    auto store = c10::make_intrusive<c10d::TCPStore>(environment.masterAddress, options);
    return c10::make_intrusive<c10d::PrefixStore>(environment.storePrefix(), store);
}

std::string what(const std::exception& error)
{
    if (const auto* torchError = dynamic_cast<const c10::Error*>(&error))
        return torchError->what_without_backtrace();
    return error.what();
}

bool isLoopback(const std::string& address)
{
    return address == "localhost" || address.rfind("127.", 0) == 0 || address == "::1";
}

} // namespace

std::shared_ptr<DistributedContext> DistributedContext::connect(
    const DistributedEnvironment& environment, const std::string& backend)
{
    std::shared_ptr<DistributedContext> context(new DistributedContext);
    context->environment_ = environment;
    context->backendName_ = backend;
    const bool host = environment.isMain() && !environment.agentStore;
    try {
        context->store_ = openStore(environment, host);
        CollectiveBackendRequest request;
        request.store = context->store_;
        request.rank = environment.rank;
        request.worldSize = environment.worldSize;
        request.hostname = isLoopback(environment.masterAddress) ? "127.0.0.1" : "";
        request.timeout = environment.timeout;
        context->backend_ = CollectiveBackendRegistry::instance().create(backend, request);
        // The heartbeats travel on a connection of their own; the group's store stays the group's.
        context->monitor_ = std::make_unique<RankMonitor>(openStore(environment, false), environment.rank,
            environment.worldSize);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& error) {
        throw Error("distributed: rank " + std::to_string(environment.rank) + " could not join the job at "
            + environment.masterAddress + ":" + std::to_string(environment.masterPort) + " within "
            + std::to_string(environment.timeout.count() / 1000) + " s: " + what(error));
    }
    return context;
}

DistributedContext::~DistributedContext() = default;

std::string DistributedContext::description() const
{
    return "rank " + std::to_string(rank()) + " of " + std::to_string(worldSize()) + ", " + backendName_;
}

c10::intrusive_ptr<c10d::Work> DistributedContext::startAllReduceSum(at::Tensor& tensor)
{
    std::vector<at::Tensor> tensors { tensor };
    try {
        return backend_->allReduceSum(tensors);
    } catch (const std::exception& error) {
        fail(error, "all-reduce");
    }
}

void DistributedContext::wait(const c10::intrusive_ptr<c10d::Work>& work, const char* step)
{
    const auto start = std::chrono::steady_clock::now();
    try {
        work->wait();
    } catch (const std::exception& error) {
        fail(error, step);
    }
    waitSeconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void DistributedContext::allReduceSum(at::Tensor& tensor, const char* step)
{
    wait(startAllReduceSum(tensor), step);
}

void DistributedContext::broadcastFromMain(const std::vector<at::Tensor>& tensors)
{
    torch::NoGradGuard noGradients;
    for (const at::Tensor& tensor : tensors) {
        std::vector<at::Tensor> one { tensor.is_contiguous() ? tensor : tensor.contiguous() };
        c10::intrusive_ptr<c10d::Work> work;
        try {
            work = backend_->broadcast(one, 0);
        } catch (const std::exception& error) {
            fail(error, "the broadcast of rank 0's weights");
        }
        wait(work, "the broadcast of rank 0's weights");
        if (!one.front().is_same(tensor))
            tensor.copy_(one.front());
    }
}

void DistributedContext::barrier(const char* step)
{
    at::Tensor token = torch::zeros({ 1 });
    allReduceSum(token, step);
}

void DistributedContext::setStep(int64_t step)
{
    ++steps_;
    monitor_->setStep(step);
}

void DistributedContext::fail(const std::exception& failure, const char* step)
{
    const std::string blame = monitor_ ? monitor_->diagnose() : std::string();
    throw Error(detail::concat("distributed: rank ", rank(), " stopped in ", step, ": ",
        blame.empty() ? std::string("a collective failed") : blame, " (timeout ",
        static_cast<double>(environment_.timeout.count()) / 1000.0, " s; ", what(failure), ")"));
}

} // namespace netdraft::engine
