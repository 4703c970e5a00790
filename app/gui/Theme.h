#pragma once
// Light and dark style sheets (resources/styles), chosen from the system palette.

#include <QIcon>
#include <QPalette>
#include <QString>

namespace netdraft::app {

/// Registers the icons and style sheets; the window calls it before using them.
void initResources();
/// True when the palette's window colour is dark.
bool isDarkPalette(const QPalette& palette);
/// The style sheet matching `palette` from the resources.
QString themeStyleSheet(const QPalette& palette);
/// The application icon from the resources.
QIcon applicationIcon();

} // namespace netdraft::app
