#pragma once
// Renaming and deleting composite definitions and their ports, shared by the canvas's and the
// palette's menus: one undoable command each, and the questions asked before it.

#include <QString>

class QWidget;

namespace netdraft::editor {

class GraphDocument;

/// Each pushes one undoable command on `document`; when the change is refused it pushes nothing and
/// returns the message for the status bar ("Cannot rename ConvLayer: ..."), else an empty string.
QString renameComposite(GraphDocument& document, const QString& from, const QString& to);
QString renameCompositePort(
    GraphDocument& document, const QString& composite, bool input, const QString& from, const QString& to);
QString deleteComposite(GraphDocument& document, const QString& name, bool ungroupInstances);

/// Asks for a new name of composite `type` (every instance follows); empty when cancelled or unchanged.
QString askNewCompositeName(QWidget* parent, const QString& type);
/// Asks for a new name of input (`input`) or output port `port` of `composite`; empty when cancelled
/// or unchanged.
QString askNewPortName(QWidget* parent, const QString& composite, bool input, const QString& port);

} // namespace netdraft::editor
