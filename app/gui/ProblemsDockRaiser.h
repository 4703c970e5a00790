#pragma once
// Brings the Problems tab forward when errors first appear: when an edit takes the design from no
// errors to some, and when a Train attempt is refused because of errors. While errors persist,
// further edits leave the tabs alone (the user may be looking at another one), and raising a tab
// never takes the keyboard focus from the canvas or a field being typed in.

#include <QObject>

class QDockWidget;

namespace netdraft::editor {
class GraphDocument;
}

namespace netdraft::app {

class ProblemsDockRaiser : public QObject {
    Q_OBJECT
public:
    ProblemsDockRaiser(editor::GraphDocument& document, QDockWidget& dock, QObject* parent = nullptr);

    /// Training was refused because the design has errors: the list comes forward (opened again if
    /// the user had closed it).
    void trainingRefused();

private:
    void inferenceUpdated();

    editor::GraphDocument& document_;
    QDockWidget& dock_;
    bool hadErrors_ = false;
};

} // namespace netdraft::app
