#pragma once
// Scrolling a settings panel must not change its values: a spin box or combo box under the mouse
// wheel takes the wheel only once it has the focus (clicked or tabbed into); until then the wheel
// scrolls the panel around it, as users of long forms expect.

class QWidget;

namespace netdraft::widgets {

/// Makes `editor` (a QAbstractSpinBox or QComboBox) take focus by click or Tab only and pass the wheel
/// on to its parents while it has no focus.
void guardWheel(QWidget* editor);

} // namespace netdraft::widgets
