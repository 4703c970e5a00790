#include "engine/distributed/RankMonitor.h"

#include <sstream>
#include <vector>

namespace netdraft::engine {

namespace {

struct Heartbeat {
    bool seen = false;
    int64_t count = 0;
    int64_t step = 0;
};

Heartbeat parse(const std::vector<uint8_t>& value)
{
    Heartbeat beat;
    std::istringstream in(std::string(value.begin(), value.end()));
    beat.seen = static_cast<bool>(in >> beat.count >> beat.step);
    return beat;
}

std::string listOf(const std::vector<int>& ranks)
{
    std::string text = ranks.size() == 1 ? "rank " : "ranks ";
    for (size_t i = 0; i < ranks.size(); ++i)
        text += (i == 0 ? "" : i + 1 == ranks.size() ? " and " : ", ") + std::to_string(ranks[i]);
    return text;
}

} // namespace

RankMonitor::RankMonitor(c10::intrusive_ptr<c10d::Store> store, int rank, int worldSize)
    : store_(std::move(store))
    , rank_(rank)
    , worldSize_(worldSize)
{
    thread_ = std::thread([this] { beat(); });
}

RankMonitor::~RankMonitor()
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void RankMonitor::beat()
{
    int64_t count = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
        const std::string text = std::to_string(++count) + " " + std::to_string(step_.load());
        try {
            store_->set(key(rank_), std::vector<uint8_t>(text.begin(), text.end()));
        } catch (const std::exception&) {
            // The store went away (rank 0 or the agent ended); diagnose() says so when asked.
        }
        wake_.wait_for(lock, interval, [this] { return stopping_; });
    }
}

std::string RankMonitor::diagnose()
{
    auto readAll = [this](std::vector<Heartbeat>& beats) {
        std::lock_guard<std::mutex> lock(mutex_);
        for (int rank = 0; rank < worldSize_; ++rank)
            if (rank != rank_ && store_->check({ key(rank) }))
                beats[rank] = parse(store_->get(key(rank)));
    };
    std::vector<Heartbeat> before(worldSize_), after(worldSize_);
    try {
        readAll(before);
        std::this_thread::sleep_for(interval * 6);
        readAll(after);
    } catch (const std::exception& error) {
        return std::string("the rendezvous store is gone (") + error.what()
            + "); rank 0 or the torchrun agent that hosts it ended";
    }
    std::vector<int> silent, behind;
    const int64_t step = step_.load();
    for (int rank = 0; rank < worldSize_; ++rank) {
        if (rank == rank_)
            continue;
        if (!after[rank].seen || after[rank].count == before[rank].count)
            silent.push_back(rank);
        else if (after[rank].step < step)
            behind.push_back(rank);
    }
    std::string text;
    if (!silent.empty())
        text = listOf(silent) + " stopped responding (killed or hung)";
    if (!behind.empty())
        text += (text.empty() ? "" : "; ") + listOf(behind) + " still running but behind step " + std::to_string(step);
    return text;
}

} // namespace netdraft::engine
