#include "app/gui/ResultsWindowToggle.h"

#include <QAction>
#include <QDockWidget>
#include <QMainWindow>
#include <QSignalBlocker>

namespace netdraft::app {

ResultsWindowToggle::ResultsWindowToggle(QMainWindow& window, QDockWidget& dock)
    : QObject(&window)
    , window_(window)
    , dock_(dock)
    , action_(new QAction(tr("&Results in a Large Window"), &window))
{
    action_->setObjectName(QStringLiteral("viewResultsWindow"));
    action_->setCheckable(true);
    action_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    action_->setStatusTip(
        tr("Show the confusion matrix, the per-class accuracy and the predictions in a window as large as this one"));
    connect(action_, &QAction::toggled, this, &ResultsWindowToggle::setLarge);
    connect(&dock_, &QDockWidget::topLevelChanged, this, &ResultsWindowToggle::followDock);
    followDock(dock_.isFloating());
}

bool ResultsWindowToggle::isLarge() const
{
    return dock_.isFloating() && !dock_.isHidden();
}

void ResultsWindowToggle::setLarge(bool large)
{
    if (!large) {
        dock_.setFloating(false);
        dock_.raise();
        return;
    }
    dock_.show();
    dock_.setFloating(true);
    // Over the main window's own area: as large as the user made the window, on its screen.
    dock_.setGeometry(window_.geometry());
    dock_.raise();
    dock_.activateWindow();
    followDock(true);
}

void ResultsWindowToggle::followDock(bool floating)
{
    const QSignalBlocker blocker(action_);
    action_->setChecked(floating);
    action_->setIconText(floating ? tr("Back to the Dock") : tr("Open in a Large Window"));
    action_->setToolTip(floating
            ? tr("Put the results back in their tab (%1)").arg(action_->shortcut().toString(QKeySequence::NativeText))
            : tr("Show the results in a window as large as the main window (%1)")
                  .arg(action_->shortcut().toString(QKeySequence::NativeText)));
}

} // namespace netdraft::app
