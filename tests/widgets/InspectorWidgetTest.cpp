// The inspector: generated editors, merged undo steps while typing, validation messages, the
// auto/pin toggle of inferred values and the advanced section.

#include "widgets/editing/InspectorWidget.h"
#include "editor/GraphDocument.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/editing/ParamEditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QTest>

using namespace netdraft;
using namespace netdraft::widgets;

namespace {
int64_t intParam(const editor::GraphDocument& document, const char* block, const char* name)
{
    return std::get<int64_t>(document.graph().block(block).params.at(name));
}
} // namespace

class InspectorWidgetTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void typingANumberIsOneUndoStep()
    {
        editor::GraphDocument document(tests::classicCnnProject(true));
        InspectorWidget inspector(document);
        inspector.show();
        inspector.showBlock("conv2");
        auto* spin = inspector.parameterEditor("out_channels")->findChild<QSpinBox*>();
        QVERIFY(spin);
        QCOMPARE(spin->value(), 64);
        QCOMPARE(spin->minimum(), 1); // the ParamSpec's range
        spin->setFocus();
        spin->selectAll();
        QTest::keyClicks(spin, "128");
        QCOMPARE(intParam(document, "conv2", "out_channels"), int64_t(128));
        QCOMPARE(document.undoStack()->count(), 1);
        QCOMPARE(document.inference().find("conv2")->output->toString(), std::string("N\u00d7128\u00d716\u00d716"));
        document.undoStack()->undo();
        QCOMPARE(intParam(document, "conv2", "out_channels"), int64_t(64));
        QCOMPARE(spin->value(), 64); // the editor follows the document
    }

    void invalidListShowsTheMessageAndChangesNothing()
    {
        editor::GraphDocument document(tests::classicCnnProject(true));
        InspectorWidget inspector(document);
        inspector.show();
        inspector.showBlock("input");
        ParamEditor* shape = inspector.parameterEditor("shape");
        auto* edit = shape->findChild<QLineEdit*>();
        QCOMPARE(edit->text(), QString("3, 32, 32"));
        edit->setFocus();
        edit->selectAll();
        QTest::keyClicks(edit, "3, 0, 32");
        QVERIFY2(shape->errorText().contains("must be >= 1, got 0"), qPrintable(shape->errorText()));
        // "3, " and "3, 0" were typed on the way: only the valid prefix "3" became an edit.
        QVERIFY(document.graph().block("input").params.at("shape") != engine::ParamValue(engine::IntList { 3, 0, 32 }));
        QTest::keyClicks(edit, "a");
        QVERIFY(shape->errorText().contains("list of whole numbers"));
        edit->selectAll();
        QTest::keyClicks(edit, "1x28x28");
        QVERIFY(shape->errorText().isEmpty());
        QCOMPARE(std::get<engine::IntList>(document.graph().block("input").params.at("shape")),
            (engine::IntList { 1, 28, 28 }));
        QCOMPARE(document.undoStack()->count(), 1);
    }

    void inferredValueIsShownAndCanBePinned()
    {
        editor::GraphDocument document(tests::classicCnnProject(true));
        InspectorWidget inspector(document);
        inspector.show();
        inspector.showBlock("fc");
        ParamEditor* inFeatures = inspector.parameterEditor("in_features");
        auto* spin = inFeatures->findChild<QSpinBox*>();
        auto* autoBox = inFeatures->findChild<QCheckBox*>("auto");
        QVERIFY(autoBox->isChecked());
        QVERIFY(spin->isReadOnly());
        QCOMPARE(spin->value(), 2048); // inferred from flatten's N×2048
        autoBox->setChecked(false);
        QCOMPARE(intParam(document, "fc", "in_features"), int64_t(2048));
        QVERIFY(!spin->isReadOnly());
        autoBox->setChecked(true);
        QVERIFY(engine::isAuto(document.graph().block("fc").params.at("in_features")));
    }

    void errorsOfTheBlockAreShown()
    {
        editor::GraphDocument document(tests::classicCnnProject(false));
        InspectorWidget inspector(document);
        inspector.show();
        inspector.showBlock("fc");
        QVERIFY2(inspector.problemsText().contains("131072"), qPrintable(inspector.problemsText()));
        inspector.showBlock("conv1");
        QVERIFY(inspector.problemsText().isEmpty());
    }

    void tupleEditorTakesWordsAndNumbers()
    {
        editor::GraphDocument document(tests::classicCnnProject(true));
        InspectorWidget inspector(document);
        inspector.show();
        inspector.showBlock("conv1");
        ParamEditor* padding = inspector.parameterEditor("padding");
        auto* mode = padding->findChild<QComboBox*>();
        QVERIFY(mode);
        QCOMPARE(padding->findChildren<QSpinBox*>().size(), 2);
        mode->setCurrentText("same");
        QCOMPARE(std::get<std::string>(document.graph().block("conv1").params.at("padding")), std::string("same"));
        QVERIFY(!padding->findChildren<QSpinBox*>().front()->isEnabled());
        mode->setCurrentIndex(0);
        padding->findChildren<QSpinBox*>().back()->setValue(2);
        QCOMPARE(std::get<engine::IntList>(document.graph().block("conv1").params.at("padding")),
            (engine::IntList { 1, 2 }));
    }

    void advancedParametersAreFoldedAway()
    {
        editor::GraphDocument document(tests::classicCnnProject(true));
        InspectorWidget inspector(document);
        inspector.show();
        inspector.showBlock("conv1");
        QVERIFY(!inspector.advancedExpanded());
        QVERIFY(!inspector.parameterEditor("dilation")->isVisible());
        QVERIFY(inspector.parameterEditor("out_channels")->isVisible());
        inspector.setAdvancedExpanded(true);
        QVERIFY(inspector.parameterEditor("dilation")->isVisible());
    }

    void renameAndSelectionChanges()
    {
        editor::GraphDocument document(tests::classicCnnProject(true));
        InspectorWidget inspector(document);
        inspector.show();
        inspector.showSelection({ "conv1", "conv2" });
        QVERIFY(inspector.blockId().isEmpty());
        inspector.showSelection({ "pool1" });
        QCOMPARE(inspector.blockId(), QString("pool1"));
        auto* name = inspector.findChild<QLineEdit*>("blockName");
        name->setFocus();
        QTest::keyClicks(name, "Downsample");
        QTest::keyClick(name, Qt::Key_Return);
        QCOMPARE(document.graph().block("pool1").displayName(), std::string("Downsample"));
        document.undoStack()->undo();
        QCOMPARE(document.graph().block("pool1").displayName(), std::string("pool1"));
    }
};

NETDRAFT_TEST(InspectorWidgetTest);
#include "InspectorWidgetTest.moc"
