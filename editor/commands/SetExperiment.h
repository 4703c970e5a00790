#pragma once
// Replaces the experiment saved with the project (Train ▸ Experiment…'s Save); one undo step. The
// graph and settings do not change, so neither scope nor shape inference is touched.

#include "editor/GraphDocument.h"

#include <QUndoCommand>

namespace netdraft::editor::commands {

class SetExperiment : public QUndoCommand {
public:
    SetExperiment(GraphDocument& document, engine::ExperimentPlan plan);

    void redo() override;
    void undo() override;

private:
    GraphDocument& document_;
    engine::ExperimentPlan oldPlan_;
    engine::ExperimentPlan newPlan_;
};

} // namespace netdraft::editor::commands
