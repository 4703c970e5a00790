#pragma once
// Greyed-out actions that say why: the reason goes into the tooltip (menus show it when
// setToolTipsVisible is on, toolbars always).

#include <QAction>

namespace netdraft::app {

/// Enables `action`, or disables it with `whyNot` as its tooltip; enabling restores the default tooltip.
inline void setEnabledOrExplain(QAction* action, bool enabled, const QString& whyNot)
{
    action->setEnabled(enabled);
    action->setToolTip(enabled ? QString() : whyNot);
}

} // namespace netdraft::app
