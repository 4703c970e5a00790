#include "editor/commands/SetExperiment.h"

#include <QCoreApplication>

namespace netdraft::editor::commands {

SetExperiment::SetExperiment(GraphDocument& document, engine::ExperimentPlan plan)
    : document_(document)
    , oldPlan_(document.project().experiment)
    , newPlan_(std::move(plan))
{
    setText(newPlan_.empty() ? QCoreApplication::translate("SetExperiment", "Remove the experiment")
                             : QCoreApplication::translate("SetExperiment", "Save the experiment"));
    setObsolete(oldPlan_ == newPlan_);
}

void SetExperiment::redo()
{
    document_.setExperiment(newPlan_);
}

void SetExperiment::undo()
{
    document_.setExperiment(oldPlan_);
}

} // namespace netdraft::editor::commands
