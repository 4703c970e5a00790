#include "editor/InferenceRunner.h"

#include "engine/core/Error.h"

#include <QDebug>
#include <QMetaObject>

namespace netdraft::editor {

InferenceRunner::InferenceRunner(Delivery delivery, QObject* parent)
    : QObject(parent)
    , delivery_(std::move(delivery))
    , thread_([this] { work(); })
{
}

InferenceRunner::~InferenceRunner()
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

void InferenceRunner::submit(uint64_t generation, Job job)
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        waiting_.emplace(generation, std::move(job));
    }
    wake_.notify_one();
}

void InferenceRunner::work()
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
        engine::InferenceResult result;
        try {
            result = next.second();
        } catch (const std::exception& error) {
            // Inference reports problems instead of throwing; this guards against a layer's bug.
            qWarning() << "shape inference failed:" << error.what();
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

} // namespace netdraft::editor
