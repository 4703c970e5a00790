#pragma once
// The results in a large window: the Results dock floats over the whole main window, so that the
// confusion matrix is large enough to show every count and the gallery shows many samples a row
// (at 1366×768 the docked tab leaves the matrix about 100 px); toggled back, it returns to its tab.

#include <QObject>

class QAction;
class QDockWidget;
class QMainWindow;

namespace netdraft::app {

/// Owns the checkable "Results in a Large Window" action (Ctrl+Shift+R) for `dock` of `window`.
class ResultsWindowToggle : public QObject {
    Q_OBJECT
public:
    ResultsWindowToggle(QMainWindow& window, QDockWidget& dock);

    QAction* action() const { return action_; }
    /// Whether the results are in their own window.
    bool isLarge() const;
    /// Floats the dock over the main window's area (`large`), or docks it back in its tab.
    void setLarge(bool large);

private:
    /// The action's check mark and the button's words follow the dock (also when it is floated or
    /// docked by its title bar).
    void followDock(bool floating);

    QMainWindow& window_;
    QDockWidget& dock_;
    QAction* action_;
};

} // namespace netdraft::app
