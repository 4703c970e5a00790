#pragma once
// Work that follows edits, off the GUI thread: the GUI hands over a job (owning a snapshot) after
// each edit, one worker thread runs it, and the result comes back through the event loop. A job
// submitted while another runs replaces any job still waiting, so a burst of edits costs one or two
// runs. Shape inference (InferenceRunner) and the cost count (CostAnalysis) use it.

#include <QDebug>
#include <QMetaObject>
#include <QObject>

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace netdraft::editor {

template <typename Result> class LatestJobRunner : public QObject {
public:
    /// Computes a result from a snapshot it owns; runs on the worker thread, so it must not touch the document.
    using Job = std::function<Result()>;
    /// Receives each finished result on the runner's (the GUI) thread with the generation it was asked under.
    using Delivery = std::function<void(uint64_t generation, Result result)>;

    /// `task` names the work in the warning logged when a job throws ("shape inference").
    LatestJobRunner(const char* task, Delivery delivery, QObject* parent = nullptr)
        : QObject(parent)
        , task_(task)
        , delivery_(std::move(delivery))
        , thread_([this] { work(); })
    {
    }

    /// Waits for the job that is running and drops the waiting one.
    ~LatestJobRunner() override
    {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stopping_ = true;
            waiting_.reset();
        }
        wake_.notify_one();
        thread_.join();
        // A result posted before the join is dropped with this object's pending events.
    }

    /// Queues `job` for `generation`, replacing a queued job that has not started.
    void submit(uint64_t generation, Job job)
    {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            waiting_.emplace(generation, std::move(job));
        }
        wake_.notify_one();
    }

private:
    void work()
    {
        for (;;) {
            std::pair<uint64_t, Job> next;
            {
                std::unique_lock<std::mutex> lock(mutex_);
                wake_.wait(lock, [this] { return stopping_ || waiting_.has_value(); });
                if (stopping_)
                    return;
                next = std::move(*waiting_);
                waiting_.reset();
            }
            Result result {};
            try {
                result = next.second();
            } catch (const std::exception& error) {
                // Jobs report problems in their result; this guards against a bug.
                qWarning() << task_ << "failed:" << error.what();
            }
            next.second = nullptr; // the snapshot is freed here, not on the GUI thread
            QMetaObject::invokeMethod(
                this,
                [this, generation = next.first, result = std::move(result)]() mutable {
                    delivery_(generation, std::move(result));
                },
                Qt::QueuedConnection);
        }
    }

    const char* task_;
    Delivery delivery_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::optional<std::pair<uint64_t, Job>> waiting_;
    bool stopping_ = false;
    std::thread thread_; // last: starts after the members it uses exist
};

} // namespace netdraft::editor
