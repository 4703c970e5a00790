#pragma once
// A settings form generated from setting descriptions, in a frameless scroll area: the shared body of
// the dataset and training panels.

#include "engine/layers/ParamSpec.h"

#include <QScrollArea>

#include <vector>

namespace netdraft::widgets {

class SettingsForm;

/// Builds the form for `specs`, named `objectName`, inside a scroll area placed in `layout`.
SettingsForm* addSettingsForm(std::vector<engine::ParamSpec> specs, const QString& objectName, QLayout* layout);

} // namespace netdraft::widgets
