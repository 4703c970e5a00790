#pragma once
// A connected data-parallel job: the rendezvous store, the process group and the rank monitor, and
// the collectives the trainer calls. A failed or timed-out collective throws Error naming the rank
// that stopped, so that every surviving rank exits instead of waiting forever.

#include "engine/distributed/CollectiveBackend.h"
#include "engine/distributed/DistributedEnvironment.h"

#include <memory>
#include <string>
#include <vector>

namespace netdraft::engine {

class RankMonitor;

class DistributedContext {
public:
    /// Connects to the store (as a client when torchrun's agent hosts it, else rank 0 hosts it), waits
    /// for every rank and makes the `backend` process group. Throws Error on a timeout or a missing backend.
    static std::shared_ptr<DistributedContext> connect(const DistributedEnvironment& environment,
        const std::string& backend = "gloo");
    ~DistributedContext();
    DistributedContext(const DistributedContext&) = delete;
    DistributedContext& operator=(const DistributedContext&) = delete;

    int rank() const { return environment_.rank; }
    int worldSize() const { return environment_.worldSize; }
    bool isMain() const { return environment_.isMain(); }
    const DistributedEnvironment& environment() const { return environment_; }
    const std::string& backendName() const { return backendName_; }
    /// "rank 0 of 2, gloo"
    std::string description() const;

    /// Sums `tensor` over all ranks in place and waits; `what` names the step in error messages.
    void allReduceSum(at::Tensor& tensor, const char* what);
    /// Starts the sum; wait(work, what) finishes it.
    c10::intrusive_ptr<c10d::Work> startAllReduceSum(at::Tensor& tensor);
    void wait(const c10::intrusive_ptr<c10d::Work>& work, const char* what);
    /// Overwrites every tensor with rank 0's (parameters and buffers at the start).
    void broadcastFromMain(const std::vector<at::Tensor>& tensors);
    /// Waits until every rank arrives here.
    void barrier(const char* what);
    /// Steps finished, for the heartbeat (a lagging rank is named as such).
    void setStep(int64_t step);
    /// Seconds this rank spent waiting for collectives to finish (the communication backward did not
    /// hide, plus waiting for slower ranks), and the steps counted by setStep().
    double waitSeconds() const { return waitSeconds_; }
    int64_t steps() const { return steps_; }

    /// Throws Error for `failure` in `what`, naming the ranks that stopped.
    [[noreturn]] void fail(const std::exception& failure, const char* what);

private:
    DistributedContext() = default;

    DistributedEnvironment environment_;
    std::string backendName_;
    c10::intrusive_ptr<c10d::Store> store_;
    std::unique_ptr<CollectiveBackend> backend_;
    std::unique_ptr<RankMonitor> monitor_;
    double waitSeconds_ = 0.0;
    int64_t steps_ = 0;
};

} // namespace netdraft::engine
