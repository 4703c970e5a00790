#pragma once
// The inspector: edits the selected block's name and parameters with editors generated from the
// layer's ParamSpecs, its Frozen flag and its learning-rate factor; every change is an undoable
// SetParameter/RenameBlock/SetFrozen/SetLearningRateScale on the document.

#include "editor/CostAnalysis.h"
#include "editor/GraphDocument.h"

#include <QWidget>

#include <map>

class QCheckBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QToolButton;
class QStackedWidget;

namespace netdraft::widgets {

class ParamEditor;

/// Shows one block; keeps no copy of its values, it re-reads them from the document on change.
class InspectorWidget : public QWidget {
    Q_OBJECT
public:
    explicit InspectorWidget(editor::GraphDocument& document, QWidget* parent = nullptr);

    /// The block shown, or empty.
    QString blockId() const { return blockId_; }
    /// The editor of parameter `name` of the block shown, or null.
    ParamEditor* parameterEditor(const QString& name) const;
    /// The block's inference errors as shown (empty when none).
    QString problemsText() const;
    bool advancedExpanded() const;
    /// Shows the block's cost figures from `analysis` (parameters, MACs, activation memory).
    void setCostAnalysis(editor::CostAnalysis* analysis);
    /// The cost line as shown (empty when there is none).
    QString costText() const;

public Q_SLOTS:
    /// Shows block `id` (empty: the "select a block" hint).
    void showBlock(const QString& id);
    /// Shows the block when exactly one is selected.
    void showSelection(const QStringList& ids);
    void setAdvancedExpanded(bool expanded);

private:
    void buildForm(const engine::Block& block);
    void refresh();
    void commitName();
    void refreshCost();

    editor::GraphDocument& document_;
    QString blockId_;
    std::string shownType_;
    QStackedWidget* pages_;
    QWidget* form_ = nullptr;
    QLineEdit* name_ = nullptr;
    QLabel* subtitle_ = nullptr;
    QCheckBox* frozen_ = nullptr;
    QDoubleSpinBox* learningRateScale_ = nullptr;
    QLabel* problems_ = nullptr;
    QLabel* output_ = nullptr;
    QLabel* cost_ = nullptr;
    editor::CostAnalysis* costAnalysis_ = nullptr;
    QToolButton* advancedToggle_ = nullptr;
    QWidget* advanced_ = nullptr;
    std::map<std::string, ParamEditor*> editors_;
};

} // namespace netdraft::widgets
