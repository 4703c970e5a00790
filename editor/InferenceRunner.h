#pragma once
// Shape inference off the GUI thread: the document hands over a snapshot after each edit, one worker
// thread infers it, and the result comes back through the event loop. An edit made while a snapshot
// is being inferred replaces any snapshot still waiting, so a burst of edits costs one or two runs.

#include "engine/inference/ShapeInference.h"

#include <QObject>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace netdraft::editor {

class InferenceRunner : public QObject {
    Q_OBJECT
public:
    /// Infers a snapshot it owns; runs on the worker thread, so it must not touch the document.
    using Job = std::function<engine::InferenceResult()>;
    /// Receives each finished result on the runner's (the GUI) thread with the generation it was asked under.
    using Delivery = std::function<void(uint64_t generation, engine::InferenceResult result)>;

    explicit InferenceRunner(Delivery delivery, QObject* parent = nullptr);
    /// Waits for the job that is running (one inference, milliseconds) and drops the waiting one.
    ~InferenceRunner() override;

    /// Queues `job` for `generation`, replacing a queued job that has not started.
    void submit(uint64_t generation, Job job);

private:
    void work();

    Delivery delivery_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::optional<std::pair<uint64_t, Job>> waiting_;
    bool stopping_ = false;
    std::thread thread_; // last: starts after the members it uses exist
};

} // namespace netdraft::editor
