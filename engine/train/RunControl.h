#pragma once
// Stop and pause flags shared between the training thread and the thread that controls it.

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace netdraft::engine {

/// Thread-safe: requestStop(), pause() and resume() may be called from any thread; the trainer polls
/// the flags before each batch.
class RunControl {
public:
    void requestStop();
    /// Async-signal-safe variant for a SIGINT handler: sets the lock-free flag and notifies nobody.
    void requestStopFromSignal() { stop_.store(true); }
    void pause();
    void resume();
    bool stopRequested() const { return stop_.load(); }
    bool paused() const { return paused_.load(); }
    /// Blocks while paused; returns false when a stop was requested. Only called by the training thread.
    bool waitWhilePaused();
    /// Clears both flags for a new run.
    void reset();

private:
    std::atomic<bool> stop_ { false };
    std::atomic<bool> paused_ { false };
    std::mutex mutex_;
    std::condition_variable wake_;
};

} // namespace netdraft::engine
