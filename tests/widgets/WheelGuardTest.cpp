// Scrolling a settings panel does not change its values: a combo box or spin box under the wheel
// leaves it to the scroll area until it has the focus (widgets/WheelGuard), then takes it.

#include "engine/layers/ParamSpec.h"
#include "tests/support/TestRegistry.h"
#include "widgets/SettingsForm.h"

#include <QComboBox>
#include <QScrollArea>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QWheelEvent>

using namespace netdraft;

namespace {

/// Turns the wheel one notch down over `widget`; whether the widget accepted it. (An event sent by
/// the application, unlike the system's, goes to the widget alone: QApplication offers only the system's
/// unaccepted wheel to the parents, which Xvfb runs with xdotool show.)
bool wheelDown(QWidget* widget)
{
    const QPointF centre(widget->width() / 2.0, widget->height() / 2.0);
    QWheelEvent event(centre, widget->mapToGlobal(centre), QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier,
        Qt::NoScrollPhase, false);
    QApplication::sendEvent(widget, &event);
    return event.isAccepted();
}

} // namespace

class WheelGuardTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theWheelIsLeftToThePanelUntilAFieldHasTheFocus()
    {
        std::vector<engine::ParamSpec> specs;
        specs.push_back(engine::ParamSpec::choice("schedule", "constant", { "constant", "step", "cosine" }));
        specs.push_back(engine::ParamSpec::integer("epochs", 10).min(1).max(1000));
        for (int i = 0; i < 30; ++i) // a form taller than its panel
            specs.push_back(engine::ParamSpec::integer("field_" + std::to_string(i), 0));
        QScrollArea panel;
        auto* form = new widgets::SettingsForm(specs);
        panel.setWidget(form);
        panel.setWidgetResizable(true);
        panel.resize(300, 200);
        panel.show();
        QApplication::setActiveWindow(&panel);
        QVERIFY(QTest::qWaitForWindowActive(&panel));
        QSignalSpy edits(form, &widgets::SettingsForm::valueEdited);
        auto* schedule = qobject_cast<QComboBox*>(form->editor("schedule"));
        auto* epochs = qobject_cast<QSpinBox*>(form->editor("epochs"));
        QVERIFY(schedule && epochs);
        QCOMPARE(schedule->focusPolicy(), Qt::StrongFocus);
        // The window gave its first field the focus on activation; the user is elsewhere.
        panel.setFocusPolicy(Qt::StrongFocus);
        panel.setFocus();
        QTRY_VERIFY(!schedule->hasFocus() && !epochs->hasFocus());

        QVERIFY(!wheelDown(schedule)); // left for the parents: the scroll area
        QVERIFY(!wheelDown(epochs));
        QCOMPARE(schedule->currentText(), QString("constant"));
        QCOMPARE(epochs->value(), 10);
        QCOMPARE(edits.count(), 0);

        // Once clicked or tabbed into, the field takes the wheel as usual.
        schedule->setFocus();
        QTRY_VERIFY(schedule->hasFocus());
        QVERIFY(wheelDown(schedule));
        QCOMPARE(schedule->currentText(), QString("step"));
        QCOMPARE(edits.count(), 1);
        QCOMPARE(edits.front().front().toString(), QString("schedule"));
    }
};

NETDRAFT_TEST(WheelGuardTest);
#include "WheelGuardTest.moc"
