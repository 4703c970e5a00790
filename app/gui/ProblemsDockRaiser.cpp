#include "app/gui/ProblemsDockRaiser.h"

#include "editor/GraphDocument.h"

#include <QDockWidget>

namespace netdraft::app {

ProblemsDockRaiser::ProblemsDockRaiser(editor::GraphDocument& document, QDockWidget& dock, QObject* parent)
    : QObject(parent)
    , document_(document)
    , dock_(dock)
    , hadErrors_(document.latestInference().hasErrors())
{
    connect(&document_, &editor::GraphDocument::inferenceUpdated, this, &ProblemsDockRaiser::inferenceUpdated);
}

void ProblemsDockRaiser::trainingRefused()
{
    dock_.show();
    dock_.raise();
}

void ProblemsDockRaiser::inferenceUpdated()
{
    const bool hasErrors = document_.latestInference().hasErrors();
    // raise() makes the tab current without moving the focus; a closed list stays closed.
    if (hasErrors && !hadErrors_ && !dock_.isHidden())
        dock_.raise();
    hadErrors_ = hasErrors;
}

} // namespace netdraft::app
