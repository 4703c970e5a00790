#pragma once
// Tells which rank is to blame when a collective fails or times out: every rank publishes a
// heartbeat (a counter and its step) to the rendezvous store from a thread of its own.

#include <torch/csrc/distributed/c10d/Store.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace netdraft::engine {

/// Heartbeats of all ranks through `store` (a connection of its own: c10d stores are not shared
/// between threads here).
class RankMonitor {
public:
    static constexpr std::chrono::milliseconds interval { 250 };

    RankMonitor(c10::intrusive_ptr<c10d::Store> store, int rank, int worldSize);
    ~RankMonitor();
    RankMonitor(const RankMonitor&) = delete;
    RankMonitor& operator=(const RankMonitor&) = delete;

    /// The optimizer steps this rank finished; published with the heartbeat.
    void setStep(int64_t step) { step_.store(step); }
    /// Which ranks stopped (no heartbeat over a few intervals) or lag behind this one, as a sentence
    /// such as "rank 1 stopped responding (killed or hung)"; empty when every rank looks alive and level.
    std::string diagnose();

private:
    void beat();
    std::string key(int rank) const { return "netdraft/heartbeat/" + std::to_string(rank); }

    c10::intrusive_ptr<c10d::Store> store_;
    int rank_;
    int worldSize_;
    std::atomic<int64_t> step_ { 0 };
    std::mutex mutex_; ///< guards store_ between the thread and diagnose()
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace netdraft::engine
