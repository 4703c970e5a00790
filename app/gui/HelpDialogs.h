#pragma once
// Help ▸ Layer Reference (generated from the layer descriptions), Keyboard Shortcuts and About.

#include <QList>
#include <QString>

class QAction;
class QWidget;

namespace netdraft::app {

/// Every registered layer type as HTML: category, name, help and a table of its parameters.
QString layerReferenceHtml();
/// The shortcut of every action that has one, as an HTML table.
QString keyboardShortcutsHtml(const QList<QAction*>& actions);
/// Netdraft, Qt, LibTorch and CUDA versions.
QString aboutHtml();

void showLayerReference(QWidget* parent);
void showKeyboardShortcuts(QWidget* parent, const QList<QAction*>& actions);
void showAbout(QWidget* parent);

} // namespace netdraft::app
