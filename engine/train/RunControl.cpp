#include "engine/train/RunControl.h"

#include <chrono>

namespace netdraft::engine {

void RunControl::requestStop()
{
    stop_.store(true);
    wake_.notify_all();
}

void RunControl::pause()
{
    paused_.store(true);
}

void RunControl::resume()
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        paused_.store(false);
    }
    wake_.notify_all();
}

bool RunControl::waitWhilePaused()
{
    if (paused_.load() && !stop_.load()) {
        std::unique_lock<std::mutex> lock(mutex_);
        // The timeout covers a stop flag set from a signal handler, which cannot notify.
        while (paused_.load() && !stop_.load())
            wake_.wait_for(lock, std::chrono::milliseconds(100));
    }
    return !stop_.load();
}

void RunControl::reset()
{
    stop_.store(false);
    paused_.store(false);
}

} // namespace netdraft::engine
