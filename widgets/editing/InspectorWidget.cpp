#include "widgets/editing/InspectorWidget.h"

#include "editor/CategoryColors.h"
#include "editor/commands/RenameBlock.h"
#include "editor/commands/SetFrozen.h"
#include "editor/commands/SetLearningRateScale.h"
#include "editor/commands/SetParameter.h"
#include "engine/layers/LayerRegistry.h"
#include "widgets/editing/CompositeParameterSection.h"
#include "widgets/WheelGuard.h"
#include "widgets/editing/ParamEditor.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace netdraft::widgets {

namespace {
QFormLayout* makeForm(QWidget* parent)
{
    auto* form = new QFormLayout(parent);
    form->setContentsMargins(0, 4, 0, 4);
    form->setHorizontalSpacing(10);
    form->setVerticalSpacing(6);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    return form;
}
} // namespace

InspectorWidget::InspectorWidget(editor::GraphDocument& document, QWidget* parent)
    : QWidget(parent)
    , document_(document)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    pages_ = new QStackedWidget(this);
    auto* hint = new QLabel(tr("Select a block to edit its parameters."), pages_);
    hint->setAlignment(Qt::AlignCenter);
    hint->setWordWrap(true);
    hint->setStyleSheet("color: #64748B; padding: 16px;");
    pages_->addWidget(hint);
    layout->addWidget(pages_);

    connect(&document_, &editor::GraphDocument::blockChanged, this, [this](const QString& id) {
        if (id == blockId_)
            refresh();
    });
    connect(&document_, &editor::GraphDocument::inferenceUpdated, this, &InspectorWidget::refresh);
    connect(&document_, &editor::GraphDocument::blockRemoved, this, [this](const QString& id) {
        if (id == blockId_)
            showBlock(QString());
    });
    connect(&document_, &editor::GraphDocument::projectReset, this, [this] { showBlock(QString()); });
}

void InspectorWidget::showSelection(const QStringList& ids)
{
    showBlock(ids.size() == 1 ? ids.front() : QString());
}

void InspectorWidget::showBlock(const QString& id)
{
    const engine::Block* block = id.isEmpty() ? nullptr : document_.graph().findBlock(id.toStdString());
    if (!block) {
        blockId_.clear();
        shownType_.clear();
        pages_->setCurrentIndex(0);
        return;
    }
    const bool sameForm = form_ && inspectorFormKey(document_, *block) == shownType_;
    blockId_ = id;
    if (!sameForm)
        buildForm(*block);
    pages_->setCurrentWidget(form_->parentWidget()->parentWidget()); // the scroll area
    refresh();
}

void InspectorWidget::buildForm(const engine::Block& block)
{
    const engine::LayerType* type = engine::LayerRegistry::instance().find(block.type);
    const bool wasExpanded = advancedExpanded();
    if (form_) {
        QWidget* scroll = form_->parentWidget()->parentWidget();
        pages_->removeWidget(scroll);
        scroll->deleteLater();
    }
    editors_.clear();
    shownType_ = inspectorFormKey(document_, block);

    auto* scroll = new QScrollArea(pages_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // the form wraps to the dock's width
    form_ = new QWidget;
    scroll->setWidget(form_);
    pages_->addWidget(scroll);
    auto* layout = new QVBoxLayout(form_);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->setSpacing(6);

    const QColor color = editor::layerTypeColor(block.type, document_.graph());
    auto* band = new QFrame(form_);
    band->setFixedHeight(4);
    band->setStyleSheet(QStringLiteral("background: %1; border-radius: 2px;").arg(color.name()));
    layout->addWidget(band);
    name_ = new QLineEdit(form_);
    name_->setObjectName("blockName");
    name_->setStyleSheet("font-weight: bold; font-size: 11pt;");
    connect(name_, &QLineEdit::editingFinished, this, &InspectorWidget::commitName);
    layout->addWidget(name_);
    subtitle_ = new QLabel(form_);
    subtitle_->setStyleSheet("color: #64748B;");
    layout->addWidget(subtitle_);
    frozen_ = new QCheckBox(tr("Frozen: training leaves its weights alone"), form_);
    frozen_->setObjectName("blockFrozen");
    const bool composite = document_.project().graph.findComposite(block.type) != nullptr;
    frozen_->setToolTip(composite ? tr("Freezes every block inside this instance: no gradient, no optimizer step, "
                                       "batch-norm statistics kept (fine-tuning)")
                                  : tr("No gradient, no optimizer step, batch-norm statistics kept (fine-tuning). "
                                       "Edit \u25b8 Freeze / Unfreeze Selected does this for a selection."));
    connect(frozen_, &QCheckBox::clicked, this, [this](bool checked) {
        const std::string id = blockId_.toStdString();
        const engine::Block* shown = document_.graph().findBlock(id);
        if (shown && shown->frozen != checked)
            document_.push(new editor::commands::SetFrozen(document_, { id }, checked));
    });
    layout->addWidget(frozen_);
    // The factor sits under the Frozen box: both are how a block takes part in fine-tuning.
    auto* scaleRow = new QHBoxLayout;
    auto* scaleLabel = new QLabel(tr("Learning rate \u00d7"), form_);
    learningRateScale_ = new QDoubleSpinBox(form_);
    guardWheel(learningRateScale_);
    learningRateScale_->setObjectName("blockLearningRateScale");
    learningRateScale_->setDecimals(4);
    learningRateScale_->setRange(0.0001, 1000.0); // > 0: a factor of 0 is what Frozen is for
    learningRateScale_->setSingleStep(0.1);
    learningRateScale_->setKeyboardTracking(false); // one edit per value typed, not per digit
    const QString scaleTip = composite
        ? tr("Multiplies the run's learning rate for every block inside this instance (times their own factor); "
             "1 = the run's rate")
        : tr("Multiplies the run's learning rate for this block's weights (e.g. 0.1 for a pretrained block "
             "while a new head learns at the full rate); 1 = the run's rate");
    scaleLabel->setToolTip(scaleTip);
    learningRateScale_->setToolTip(scaleTip);
    scaleLabel->setBuddy(learningRateScale_);
    scaleRow->addWidget(scaleLabel);
    scaleRow->addWidget(learningRateScale_);
    scaleRow->addStretch();
    layout->addLayout(scaleRow);
    connect(learningRateScale_, &QDoubleSpinBox::valueChanged, this, [this](double scale) {
        const std::string id = blockId_.toStdString();
        const engine::Block* shown = document_.graph().findBlock(id);
        if (shown && shown->learningRateScale != scale)
            document_.push(new editor::commands::SetLearningRateScale(document_, { id }, scale));
    });
    problems_ = new QLabel(form_);
    problems_->setObjectName("blockProblems");
    problems_->setWordWrap(true);
    problems_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    problems_->setStyleSheet(
        "background: #FEF2F2; color: #B91C1C; border: 1px solid #FECACA; border-radius: 4px; padding: 6px;");
    layout->addWidget(problems_);
    output_ = new QLabel(form_);
    layout->addWidget(output_);
    cost_ = new QLabel(form_);
    cost_->setObjectName("blockCost");
    cost_->setStyleSheet("color: #334155;");
    layout->addWidget(cost_);
    const engine::CompositeDefinition* definition = document_.project().graph.findComposite(block.type);
    QString helpText = QString::fromStdString(type ? type->description().help
            : definition                           ? definition->description
                                                   : "");
    const QString fullHelp = helpText;
    if (definition && helpText.size() > 140) // an instance's parameters stay in view; the whole text in the tooltip
        helpText = helpText.left(helpText.lastIndexOf(' ', 140)) + QStringLiteral(" \u2026");
    if (!helpText.isEmpty()) {
        auto* help = new QLabel(helpText, form_);
        help->setToolTip(fullHelp);
        help->setWordWrap(true);
        help->setStyleSheet("color: #475569;");
        layout->addWidget(help);
    }

    auto* basic = new QWidget(form_);
    QFormLayout* basicForm = makeForm(basic);
    layout->addWidget(basic);
    advancedToggle_ = new QToolButton(form_);
    advancedToggle_->setText(tr("Advanced"));
    advancedToggle_->setCheckable(true);
    advancedToggle_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    advancedToggle_->setAutoRaise(true);
    advanced_ = new QWidget(form_);
    QFormLayout* advancedForm = makeForm(advanced_);
    layout->addWidget(advancedToggle_);
    layout->addWidget(advanced_);
    layout->addStretch();
    connect(advancedToggle_, &QToolButton::toggled, this, &InspectorWidget::setAdvancedExpanded);

    bool anyAdvanced = false;
    for (const engine::ParamSpec& spec : inspectedParameters(document_, block)) {
        ParamEditor* editor = createParamEditor(spec, spec.advanced ? advanced_ : basic);
        auto* label = new QLabel(QString::fromStdString(spec.name), editor->parentWidget());
        label->setObjectName(QString::fromStdString("label_" + spec.name));
        label->setToolTip(QString::fromStdString(spec.helpText));
        decorateInnerParameter(document_, block.id, spec.name, label, editor); // inside an open composite
        (spec.advanced ? advancedForm : basicForm)->addRow(label, editor);
        anyAdvanced = anyAdvanced || spec.advanced;
        editors_[spec.name] = editor;
        const std::string name = spec.name;
        connect(editor, &ParamEditor::valueEdited, this, [this, name](const engine::ParamValue& value) {
            const std::string id = blockId_.toStdString();
            const engine::Block* shown = document_.graph().findBlock(id);
            if (!shown)
                return;
            auto current = shown->params.find(name);
            if (current != shown->params.end() && current->second == value)
                return;
            document_.push(new editor::commands::SetParameter(document_, id, name, value));
        });
    }
    advancedToggle_->setVisible(anyAdvanced);
    setAdvancedExpanded(wasExpanded);
}

void InspectorWidget::refresh()
{
    const engine::Block* block = blockId_.isEmpty() ? nullptr : document_.graph().findBlock(blockId_.toStdString());
    if (!block || !form_)
        return;
    if (inspectorFormKey(document_, *block) != shownType_)
        buildForm(*block);
    const engine::BlockInference* inference = document_.latestInference().find(block->id);
    if (!name_->hasFocus())
        name_->setText(QString::fromStdString(block->name));
    name_->setPlaceholderText(QString::fromStdString(block->id));
    subtitle_->setText(
        tr("%1 \u00b7 id %2").arg(QString::fromStdString(block->type), QString::fromStdString(block->id)));
    const QSignalBlocker quiet(frozen_);
    frozen_->setChecked(block->frozen);
    const QSignalBlocker quietScale(learningRateScale_);
    learningRateScale_->setValue(block->learningRateScale);
    QStringList problems;
    if (inference)
        for (const std::string& error : inference->errors)
            problems << QString::fromStdString(error);
    problems_->setText(problems.join(QStringLiteral("\n\n")));
    problems_->setVisible(!problems.isEmpty());
    const QString shape
        = inference && inference->output ? QString::fromStdString(inference->output->toString()) : tr("unknown");
    output_->setText(tr("Output  <b>%1</b>").arg(shape.toHtmlEscaped()));
    refreshCost();
    for (const auto& [name, editor] : editors_) {
        auto value = block->params.find(name);
        std::optional<engine::ParamValue> inferred;
        if (inference)
            if (auto it = inference->inferred.find(name); it != inference->inferred.end())
                inferred = it->second;
        editor->setValue(value != block->params.end() ? value->second : editor->spec().defaultValue, inferred);
    }
}

void InspectorWidget::commitName()
{
    const engine::Block* block = blockId_.isEmpty() ? nullptr : document_.graph().findBlock(blockId_.toStdString());
    if (block && name_->text().toStdString() != block->name)
        document_.push(new editor::commands::RenameBlock(document_, block->id, name_->text().trimmed().toStdString()));
}

ParamEditor* InspectorWidget::parameterEditor(const QString& name) const
{
    auto it = editors_.find(name.toStdString());
    return it == editors_.end() || blockId_.isEmpty() ? nullptr : it->second;
}

QString InspectorWidget::problemsText() const
{
    return problems_ && !problems_->isHidden() ? problems_->text() : QString();
}

bool InspectorWidget::advancedExpanded() const
{
    return advanced_ && !advanced_->isHidden();
}

void InspectorWidget::setAdvancedExpanded(bool expanded)
{
    if (!advanced_)
        return;
    advanced_->setVisible(expanded);
    const QSignalBlocker blocker(advancedToggle_);
    advancedToggle_->setChecked(expanded);
    advancedToggle_->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
}

void InspectorWidget::setCostAnalysis(editor::CostAnalysis* analysis)
{
    costAnalysis_ = analysis;
    if (analysis)
        connect(analysis, &editor::CostAnalysis::updated, this, &InspectorWidget::refreshCost);
    refreshCost();
}

void InspectorWidget::refreshCost()
{
    if (!cost_)
        return;
    const editor::CanvasBlockCost* figures = costAnalysis_ ? costAnalysis_->blockCost(blockId_) : nullptr;
    cost_->setVisible(figures != nullptr);
    if (!figures) {
        cost_->clear();
        return;
    }
    using editor::CostMetric;
    cost_->setText(tr("Cost  <b>%1</b> parameters · <b>%2</b> MACs per sample · activations <b>%3</b> at batch size %4")
                       .arg(editor::formatMetric(figures->parameters, CostMetric::Parameters),
                           editor::formatMetric(figures->multiplyAccumulates, CostMetric::MultiplyAccumulates),
                           editor::formatMetric(figures->activationBytes, CostMetric::Memory))
                       .arg(costAnalysis_->report().cost.memory.batchSize));
    cost_->setWordWrap(true);
}

QString InspectorWidget::costText() const
{
    return cost_ && !cost_->isHidden() ? cost_->text() : QString();
}

} // namespace netdraft::widgets
