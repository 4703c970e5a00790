#pragma once
// Shape inference off the GUI thread: the document hands over a snapshot after each edit, one worker
// thread infers it, and the result comes back through the event loop (LatestJobRunner).

#include "editor/LatestJobRunner.h"
#include "engine/inference/ShapeInference.h"

namespace netdraft::editor {

class InferenceRunner : public LatestJobRunner<engine::InferenceResult> {
public:
    explicit InferenceRunner(Delivery delivery, QObject* parent = nullptr)
        : LatestJobRunner("shape inference", std::move(delivery), parent)
    {
    }
};

} // namespace netdraft::editor
