#include "widgets/WheelGuard.h"

#include <QEvent>
#include <QWidget>

namespace netdraft::widgets {

namespace {

class WheelGuardFilter : public QObject {
public:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        auto* editor = qobject_cast<QWidget*>(watched);
        if (event->type() != QEvent::Wheel || !editor || editor->hasFocus())
            return false;
        // Kept from the editor and left unaccepted: QApplication then offers the wheel to the parents,
        // up to the scroll area around the form.
        event->ignore();
        return true;
    }
};

} // namespace

void guardWheel(QWidget* editor)
{
    static WheelGuardFilter* filter = new WheelGuardFilter; // one for the whole app, never deleted
    editor->setFocusPolicy(Qt::StrongFocus); // not WheelFocus: the wheel does not focus it either
    editor->installEventFilter(filter);
}

} // namespace netdraft::widgets
