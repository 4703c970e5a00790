// The inspector: generated editors, merged undo steps while typing, validation messages, the
// one-field tuple editor ("1" or "1, 2", applied on Enter), the auto/pin toggle of inferred values
// and the advanced section; an inner block of an open composite shows its own cost.

#include "widgets/editing/InspectorWidget.h"
#include "editor/CostAnalysis.h"
#include "editor/GraphDocument.h"
#include "editor/commands/SetLearningRateScale.h"
#include "editor/commands/SetParameter.h"
#include "engine/io/ProjectFormat.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/support/ErrorOf.h"
#include "tests/support/TestRegistry.h"
#include "widgets/editing/ParamEditor.h"

#include <QAction>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QMenu>
#include <QSpinBox>
#include <QTest>
#include <QToolButton>

using namespace netdraft;
using namespace netdraft::widgets;

namespace {
/// Replaces the field's text by `text` and presses Enter.
void type(QLineEdit* edit, const QString& text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClicks(edit, text);
    QTest::keyClick(edit, Qt::Key_Return);
}

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
        auto* edit = padding->findChild<QLineEdit*>();
        QVERIFY(edit);
        QCOMPARE(padding->findChildren<QSpinBox*>().size(), 0); // one field, not a box per dimension
        QCOMPARE(edit->text(), QString("1")); // [1, 1] reads as one number
        auto* words = padding->findChild<QToolButton*>("words");
        QVERIFY(words && words->menu());
        QStringList choices;
        for (QAction* action : words->menu()->actions())
            choices << action->text();
        QVERIFY2(choices.contains("same"), qPrintable(choices.join(", ")));
        words->menu()->actions().at(choices.indexOf("same"))->trigger();
        QCOMPARE(std::get<std::string>(document.graph().block("conv1").params.at("padding")), std::string("same"));
        QCOMPARE(edit->text(), QString("same"));
        type(edit, "1x2");
        QCOMPARE(std::get<engine::IntList>(document.graph().block("conv1").params.at("padding")),
            (engine::IntList { 1, 2 }));
        type(edit, "SAME"); // the words in any case
        QCOMPARE(std::get<std::string>(document.graph().block("conv1").params.at("padding")), std::string("same"));
    }

    // Item 8 of issue 16: padding 1 gave N×32×32×30 until the second box was filled.
    void pairedParameterIsOneFieldAndOneUndoStep_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<engine::IntList>("padding");
        QTest::addColumn<QString>("shape");
        // Conv2d(3 → 32, kernel 3) on N×3×32×32: H = 32 - 3 + 2·padH + 1.
        QTest::newRow("one number, every dimension") << "1" << engine::IntList { 1, 1 } << "N\u00d732\u00d732\u00d732";
        QTest::newRow("comma") << "1, 2" << engine::IntList { 1, 2 } << "N\u00d732\u00d732\u00d734";
        QTest::newRow("times sign") << "2\u00d71" << engine::IntList { 2, 1 } << "N\u00d732\u00d734\u00d732";
        QTest::newRow("letter x") << "0x2" << engine::IntList { 0, 2 } << "N\u00d732\u00d730\u00d734";
    }
    void pairedParameterIsOneFieldAndOneUndoStep()
    {
        QFETCH(QString, typed);
        QFETCH(engine::IntList, padding);
        QFETCH(QString, shape);
        editor::GraphDocument document(tests::classicCnnProject(true));
        document.push(new editor::commands::SetParameter(document, "conv1", "padding", engine::IntList { 0, 0 }));
        document.undoStack()->clear();
        InspectorWidget inspector(document);
        inspector.show();
        inspector.showBlock("conv1");
        auto* edit = inspector.parameterEditor("padding")->findChild<QLineEdit*>();
        QCOMPARE(edit->text(), QString("0"));
        QCOMPARE(QString::fromStdString(document.inference().find("conv1")->output->toString()),
            QString("N\u00d732\u00d730\u00d730"));
        edit->setFocus();
        edit->selectAll();
        QTest::keyClicks(edit, typed);
        // Nothing applies while typing ("1," on the way to "1, 2" is not an edit) ...
        QCOMPARE(document.undoStack()->count(), 0);
        QTest::keyClick(edit, Qt::Key_Return);
        // ... Enter applies the whole tuple at once, as one undo step.
        QCOMPARE(std::get<engine::IntList>(document.graph().block("conv1").params.at("padding")), padding);
        QCOMPARE(QString::fromStdString(document.inference().find("conv1")->output->toString()), shape);
        QCOMPARE(document.undoStack()->count(), 1);
        QVERIFY(inspector.parameterEditor("padding")->errorText().isEmpty());
        document.undoStack()->undo();
        QCOMPARE(std::get<engine::IntList>(document.graph().block("conv1").params.at("padding")),
            (engine::IntList { 0, 0 }));
        QCOMPARE(edit->text(), QString("0")); // the field follows the undo
    }

    void refusedTupleSaysWhyAndChangesNothing_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("reason");
        QTest::newRow("three values") << "1, 2, 3" << "3 values given: padding takes one whole number for every "
                                                      "dimension (\"1\") or 2 (\"1, 2\"), or 'same' or 'valid'";
        QTest::newRow("not a number") << "1, a" << "'a' is not a number";
        QTest::newRow("negative") << "-1" << "padding must be >= 0, got -1";
        QTest::newRow("unknown word") << "full" << "'full' is not a number";
        QTest::newRow("empty") << "" << "padding takes one whole number for every dimension";
    }
    void refusedTupleSaysWhyAndChangesNothing()
    {
        QFETCH(QString, typed);
        QFETCH(QString, reason);
        editor::GraphDocument document(tests::classicCnnProject(true));
        InspectorWidget inspector(document);
        inspector.show();
        inspector.activateWindow(); // focus-out applies: the window needs focus
        QVERIFY(QTest::qWaitForWindowActive(&inspector));
        inspector.showBlock("conv1");
        ParamEditor* padding = inspector.parameterEditor("padding");
        auto* edit = padding->findChild<QLineEdit*>();
        edit->setFocus();
        edit->selectAll();
        QTest::keyClicks(edit, typed);
        if (typed.isEmpty())
            QTest::keyClick(edit, Qt::Key_Backspace);
        QVERIFY(!edit->hasAcceptableInput()); // the validator does not accept it
        QTest::keyClick(edit, Qt::Key_Return);
        QVERIFY2(padding->errorText().contains(reason), qPrintable(padding->errorText()));
        QCOMPARE(edit->toolTip(), padding->errorText());
        QVERIFY(edit->styleSheet().contains("#DC2626")); // the red frame
        QCOMPARE(document.undoStack()->count(), 0);
        QVERIFY(document.graph().block("conv1").params.at("padding") == engine::ParamValue(int64_t(1))); // as built
        QCOMPARE(edit->text(), typed); // kept for the user to fix
        // Leaving the field with the refused text applies nothing either.
        inspector.findChild<QLineEdit*>("blockName")->setFocus();
        QCOMPARE(document.undoStack()->count(), 0);
        // Fixed text clears the frame and applies.
        edit->setFocus();
        edit->selectAll();
        QTest::keyClicks(edit, "2");
        QVERIFY(edit->styleSheet().isEmpty());
        QTest::keyClick(edit, Qt::Key_Tab); // focus-out applies too
        QCOMPARE(std::get<engine::IntList>(document.graph().block("conv1").params.at("padding")),
            (engine::IntList { 2, 2 }));
        QCOMPARE(document.undoStack()->count(), 1);
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

    /// Fine-tuning's per-block learning rate: typed in the box under Frozen, one undo step while the
    /// arrows change it further, saved with the project, back to 1 on undo.
    void learningRateScaleIsOneUndoableEdit()
    {
        editor::GraphDocument document(tests::classicCnnProject(true));
        InspectorWidget inspector(document);
        inspector.show();
        inspector.showBlock("conv2");
        auto* scale = inspector.findChild<QDoubleSpinBox*>("blockLearningRateScale");
        QVERIFY(scale);
        QCOMPARE(scale->value(), 1.0);
        QVERIFY(scale->minimum() > 0);
        scale->setFocus();
        scale->selectAll();
        QTest::keyClicks(scale, "0.1");
        QTest::keyClick(scale, Qt::Key_Return);
        QCOMPARE(document.graph().block("conv2").learningRateScale, 0.1);
        QCOMPARE(document.undoStack()->count(), 1);
        QTest::keyClick(scale, Qt::Key_Up); // single step 0.1: merged into the same undo step
        QCOMPARE(document.graph().block("conv2").learningRateScale, 0.2);
        QCOMPARE(document.undoStack()->count(), 1);
        QVERIFY(engine::serializeProject(document.project()).find("\"learning_rate_scale\": 0.2") != std::string::npos);

        inspector.showBlock("conv1"); // another block shows its own factor
        QCOMPARE(scale->value(), 1.0);
        inspector.showBlock("conv2");
        QCOMPARE(scale->value(), 0.2);
        document.undoStack()->undo();
        QCOMPARE(document.graph().block("conv2").learningRateScale, 1.0);
        QCOMPARE(scale->value(), 1.0); // the box follows the document
        document.undoStack()->redo();
        QCOMPARE(document.graph().block("conv2").learningRateScale, 0.2);

        // The command refuses what the project format refuses.
        QCOMPARE(tests::errorOf([&] { editor::commands::SetLearningRateScale(document, { "conv2" }, 0.0); }),
            std::string("learning_rate_scale must be a number > 0, got 0"));
    }

    void anInnerBlockOfAnOpenCompositeShowsItsCost()
    {
        // The classic CNN's conv1 grouped into Stem: inside it, conv1's own figures (those of Stem's
        // only instance), as the top-level conv1 shows them ungrouped.
        tests::GroupedCanvas grouped(true, { { { "conv1", "relu1", "pool1" }, "Stem" } });
        editor::CostAnalysis analysis(grouped.document);
        InspectorWidget inspector(grouped.document);
        inspector.setCostAnalysis(&analysis);
        grouped.document.openComposite("Stem");
        QVERIFY(QTest::qWaitFor([&] { return !analysis.pending(); }, 10000));
        inspector.showBlock("conv1");
        QVERIFY2(inspector.costText().contains("<b>896</b> parameters"), qPrintable(inspector.costText()));
        QVERIFY(inspector.costText().contains("<b>884.74 k</b> MACs"));
        QVERIFY(inspector.costText().contains("<b>8.00 MiB</b> at batch size 64")); // 64·32·32·32·4 bytes
    }
};

NETDRAFT_TEST(InspectorWidgetTest);
#include "InspectorWidgetTest.moc"
