#pragma once
// A widget's work that follows the user's choices, off the GUI thread (a viewer's output as samples
// are stepped through, Grad-CAM as the class changes): one job at a time on a BackgroundTask thread,
// so the engine object the jobs share is never used by two threads at once; a request made while a job
// runs cancels it (the job sees the flag between its steps; its result is not delivered) and waits to
// run next, replacing any request that was waiting. stop() (and the destructor) cancels and waits, so
// that the widget can go while a job runs.

#include "widgets/BackgroundTask.h"

#include <QObject>
#include <QPointer>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

namespace netdraft::widgets {

class LatestTask : public QObject {
public:
    using Cancelled = std::atomic<bool>;

    /// `busyChanged` hears when work starts and when the last of it has been delivered.
    explicit LatestTask(QObject* parent, std::function<void(bool busy)> busyChanged = {})
        : QObject(parent)
        , busyChanged_(std::move(busyChanged))
    {
    }
    ~LatestTask() override { stop(); }

    /// A job runs or waits to run.
    bool busy() const { return !thread_.isNull() || static_cast<bool>(waiting_); }

    /// Runs `work` on the worker thread once the running job (if any) has stopped, then `done` on this
    /// object's thread with its result or its error message, unless cancelled meanwhile.
    template <typename Result>
    void run(std::function<Result(const Cancelled& cancelled)> work,
        std::function<void(std::optional<Result>, QString)> done)
    {
        waiting_ = [this, work = std::move(work), done = std::move(done)]() mutable {
            start<Result>(std::move(work), std::move(done));
        };
        if (thread_) {
            *cancelled_ = true;
            return;
        }
        setBusy(true);
        startWaiting();
    }

    /// Drops the waiting job and cancels the running one; neither delivers a result.
    void cancel()
    {
        waiting_ = nullptr;
        if (cancelled_)
            *cancelled_ = true;
    }

    /// cancel(), then waits for the running job's thread to end.
    void stop()
    {
        cancel();
        if (thread_)
            thread_->wait(); // its result, queued to this object, is dropped with it
    }

private:
    template <typename Result>
    void start(std::function<Result(const Cancelled&)> work, std::function<void(std::optional<Result>, QString)> done)
    {
        auto cancelled = std::make_shared<Cancelled>(false);
        cancelled_ = cancelled;
        thread_ = startBackgroundTask<Result>(
            this, [work = std::move(work), cancelled] { return work(*cancelled); },
            [this, done = std::move(done), cancelled](std::optional<Result> result, QString error) {
                if (thread_)
                    thread_->wait(); // it is returning
                thread_ = nullptr;
                if (!*cancelled)
                    done(std::move(result), error); // may run() again
                if (!thread_ && waiting_)
                    startWaiting();
                if (!thread_)
                    setBusy(false);
            });
    }

    void startWaiting()
    {
        std::function<void()> next = std::move(waiting_);
        waiting_ = nullptr;
        next();
    }

    void setBusy(bool busy)
    {
        if (busyChanged_)
            busyChanged_(busy);
    }

    std::function<void(bool)> busyChanged_;
    std::function<void()> waiting_;
    QPointer<QThread> thread_;
    std::shared_ptr<Cancelled> cancelled_;
};

} // namespace netdraft::widgets
