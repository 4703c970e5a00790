// The inspector's composite section: an instance shows its definition's exposed parameters and sets
// them; inside the open composite a bound inner parameter is marked and disabled, and the context action
// exposes one (tests/data/v5_composite_parameters.netdraft).

#include "editor/GraphDocument.h"
#include "engine/io/ProjectFormat.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/editing/CompositeParameterSection.h"
#include "widgets/editing/InspectorWidget.h"
#include "widgets/editing/ParamEditor.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTest>

#include <filesystem>

using namespace netdraft;
using namespace netdraft::widgets;

namespace {

engine::Project compositeParameterProject()
{
    return engine::loadProjectFile(
        (std::filesystem::path(NETDRAFT_SOURCE_DIR) / "tests/data/v5_composite_parameters.netdraft").string());
}

QLabel* parameterLabel(const InspectorWidget& inspector, const char* param)
{
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete); // a rebuilt form's old labels go
    return inspector.findChild<QLabel*>(QStringLiteral("label_") + param);
}

} // namespace

class CompositeParameterInspectorTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void instanceShowsAndSetsItsParameters()
    {
        editor::GraphDocument document(compositeParameterProject());
        InspectorWidget inspector(document);
        inspector.show();
        inspector.showBlock("b1");
        QVERIFY(inspector.parameterEditor("hidden_channels"));
        QVERIFY(inspector.parameterEditor("out_channels"));
        QVERIFY(inspector.parameterEditor("stride"));
        QVERIFY(!inspector.parameterEditor("kernel_size")); // only what the definition exposes
        QVERIFY(parameterLabel(inspector, "stride")->toolTip().startsWith("Sets dw.stride inside InvertedResidual."));
        auto* spin = inspector.parameterEditor("hidden_channels")->findChild<QSpinBox*>();
        QVERIFY(spin);
        QCOMPARE(spin->value(), 12);
        QCOMPARE(spin->minimum(), 1); // the inner parameter's range
        spin->setFocus();
        spin->selectAll();
        QTest::keyClicks(spin, "24");
        QCOMPARE(document.graph().block("b1").params.at("hidden_channels"), engine::ParamValue(int64_t(24)));
        QCOMPARE(document.undoStack()->count(), 1);
        document.undoStack()->undo();
        QCOMPARE(spin->value(), 12);

        inspector.showBlock("b2"); // takes every default
        QCOMPARE(inspector.parameterEditor("hidden_channels")->findChild<QSpinBox*>()->value(), 18);
    }

    void multipliedTargetsShowTheirFactors()
    {
        // The MobileNetV2 example: the hidden width is expansion × in_channels (issue 19).
        editor::GraphDocument document(engine::loadProjectFile(
            (std::filesystem::path(NETDRAFT_SOURCE_DIR) / "projects/mobilenetv2_shapes.netdraft").string()));
        InspectorWidget inspector(document);
        inspector.show();
        inspector.showBlock("ir2");
        for (const char* name : { "in_channels", "expansion", "out_channels", "stride" })
            QVERIFY2(inspector.parameterEditor(name), name);
        QVERIFY(!inspector.parameterEditor("hidden_channels"));
        QCOMPARE(inspector.parameterEditor("expansion")->findChild<QSpinBox*>()->value(), 6);
        QVERIFY(parameterLabel(inspector, "expansion")->toolTip().contains("expand.out_channels (× in_channels)"));
        // in_channels is a factor of the product: a number, with no auto box (its inner one has one).
        QVERIFY(!inspector.parameterEditor("in_channels")->findChild<QCheckBox*>("auto"));
        QCOMPARE(inspector.parameterEditor("in_channels")->findChild<QSpinBox*>()->value(), 16);
        document.openComposite("InvertedResidual");
        inspector.showBlock("dw");
        QCOMPARE(parameterLabel(inspector, "groups")->text(), QString("groups \u2190 expansion \u00d7 in_channels"));
        QVERIFY(!inspector.parameterEditor("groups")->isEnabled());
        QCOMPARE(parameterLabel(inspector, "stride")->text(), QString("stride \u2190 stride"));
    }

    void innerParametersAreMarkedAndExposed()
    {
        editor::GraphDocument document(compositeParameterProject());
        InspectorWidget inspector(document);
        inspector.show();
        document.openComposite("InvertedResidual");
        inspector.showBlock("dw");
        QCOMPARE(parameterLabel(inspector, "groups")->text(), QString("groups \u2190 hidden_channels"));
        QVERIFY(!inspector.parameterEditor("groups")->isEnabled()); // instances set it
        QCOMPARE(parameterLabel(inspector, "padding")->text(), QString("padding"));
        QVERIFY(inspector.parameterEditor("padding")->isEnabled());
        QCOMPARE(parameterLabel(inspector, "padding")->contextMenuPolicy(), Qt::CustomContextMenu);

        QCOMPARE(exposeParameter(document, "dw", "padding", "padding"), QString());
        QCOMPARE(document.undoStack()->count(), 1);
        inspector.showBlock("dw");
        QCOMPARE(parameterLabel(inspector, "padding")->text(), QString("padding \u2190 padding"));
        QCOMPARE(exposeParameter(document, "dw", "padding", "pad"),
            QString("dw.padding is already exposed as InvertedResidual's parameter 'padding'"));

        document.closeComposite();
        inspector.showBlock("b3");
        ParamEditor* padding = inspector.parameterEditor("padding");
        QVERIFY(padding);
        QVERIFY(padding->findChild<QLineEdit*>()); // a tuple, edited as the inner one is
        document.undoStack()->undo(); // back inside the composite, where the command ran
        QCOMPARE(document.scope(), QString("InvertedResidual"));
        document.closeComposite();
        inspector.showBlock("b3");
        QCOMPARE(inspector.blockId(), QString("b3"));
        QVERIFY(inspector.parameterEditor("stride"));
        QVERIFY(!inspector.parameterEditor("padding"));
        QCOMPARE(exposeParameter(document, "dw", "padding", "padding"),
            QString("Open a composite block to expose its inner parameters."));
    }
};

NETDRAFT_TEST(CompositeParameterInspectorTest);
#include "CompositeParameterInspectorTest.moc"
