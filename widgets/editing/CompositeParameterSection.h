#pragma once
// The inspector's composite section: the parameters an instance shows (its definition's exposed ones),
// and inside an open composite, marking bound inner parameters and the context action that exposes one.

#include "editor/GraphDocument.h"
#include "engine/layers/ParamSpec.h"

#include <QString>

#include <vector>

class QLabel;
class QWidget;

namespace netdraft::widgets {

/// The parameters the inspector shows for `block`: its layer type's, or for a composite instance the
/// definition's exposed ones (engine::compositeParameterSpecs); empty for unknown types.
std::vector<engine::ParamSpec> inspectedParameters(const editor::GraphDocument& document, const engine::Block& block);

/// What decides the inspector's form for `block`: its type, and for an instance the names and kinds of
/// its definition's parameters (exposing one rebuilds the form).
std::string inspectorFormKey(const editor::GraphDocument& document, const engine::Block& block);

/// The open composite's parameter that sets parameter `param` of inner block `blockId`; empty when no
/// composite is open or the parameter is not exposed.
QString exposedAs(const editor::GraphDocument& document, const std::string& blockId, const std::string& param);

/// Exposes parameter `param` of inner block `blockId` of the open composite as its parameter `name`
/// (commands::ExposeCompositeParameter, one undo step). Returns the refusal's message, empty on success.
QString exposeParameter(
    editor::GraphDocument& document, const std::string& blockId, const std::string& param, const std::string& name);

/// Gives the label of parameter `param` of inner block `blockId` the composite section's context menu
/// ("Expose as composite parameter…" asking for the name, or "Stop exposing …") and marks a bound one
/// ("out_channels ← hidden_channels", its editor disabled: instances set the value). Nothing outside a
/// composite.
void decorateInnerParameter(editor::GraphDocument& document, const std::string& blockId, const std::string& param,
    QLabel* label, QWidget* editor);

} // namespace netdraft::widgets
