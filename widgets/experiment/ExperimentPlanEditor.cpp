#include "widgets/experiment/ExperimentPlanEditor.h"

#include "engine/layers/LayerRegistry.h"
#include "engine/project/DatasetSpec.h"
#include "engine/project/TrainingSettings.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

namespace netdraft::widgets {

namespace {

QSpinBox* spinBox(int minimum, int maximum, int value)
{
    auto* box = new QSpinBox;
    box->setRange(minimum, maximum);
    box->setValue(value);
    return box;
}

QStringList nonEmptyLines(const QString& text)
{
    QStringList lines;
    for (const QString& line : text.split('\n')) {
        const QString trimmed = line.trimmed();
        if (!trimmed.isEmpty() && !trimmed.startsWith('#'))
            lines << trimmed;
    }
    return lines;
}

} // namespace

ExperimentPlanEditor::ExperimentPlanEditor(QWidget* parent)
    : QWidget(parent)
{
    method_ = new QComboBox;
    method_->setObjectName("experimentMethod");
    method_->addItem(tr("Grid: every combination"));
    method_->addItem(tr("Random search: N distinct combinations"));
    method_->addItem(tr("List: the trials written"));

    lines_ = new QPlainTextEdit;
    lines_->setObjectName("experimentLines");
    lines_->setPlaceholderText(QStringLiteral("training.learning_rate=0.1,0.01\nconv1.out_channels=16,32,64"));
    lines_->setTabChangesFocus(true);
    lines_->setMinimumHeight(70);
    lines_->setMaximumHeight(120);
    linesHelp_ = new QLabel;
    linesHelp_->setWordWrap(true);
    linesHelp_->setStyleSheet(QStringLiteral("color: palette(mid);"));

    keys_ = new QComboBox;
    keys_->setObjectName("experimentKeys");
    keys_->setEditable(false);
    keys_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    keys_->setMinimumContentsLength(16);
    keys_->setToolTip(tr("Any training or dataset setting, or a parameter of a block"));
    insertKey_ = new QPushButton(tr("Add Key"));
    insertKey_->setObjectName("experimentAddKey");
    insertKey_->setToolTip(
        tr("Adds a line for the chosen key with its current value; list the values to try after it"));
    auto* keyRow = new QHBoxLayout;
    keyRow->addWidget(keys_, 1);
    keyRow->addWidget(insertKey_);

    randomTrials_ = spinBox(1, 100000, 4);
    randomTrials_->setObjectName("experimentRandomTrials");
    seed_ = spinBox(0, 1 << 30, 0);
    seed_->setObjectName("experimentSeed");
    parallel_ = spinBox(1, 64, 1);
    parallel_->setObjectName("experimentParallel");
    parallel_->setToolTip(tr("Trials trained at once, each its own netdraft-cli process (this machine has %1 cores)")
                              .arg(QThread::idealThreadCount()));
    pruneAfter_ = spinBox(0, 100000, 0);
    pruneAfter_->setObjectName("experimentPruneAfter");
    pruneAfter_->setSpecialValueText(tr("off"));
    pruneAfter_->setToolTip(tr("Median stopping rule: from this epoch on, a trial worse than the median of the "
                               "completed ones stops"));
    pruneMinTrials_ = spinBox(1, 1000, 3);
    pruneMinTrials_->setObjectName("experimentPruneMinTrials");
    pruneMinTrials_->setToolTip(tr("Completed trials the median stopping rule waits for"));

    problem_ = new QLabel;
    problem_->setObjectName("experimentProblem");
    problem_->setWordWrap(true);
    problem_->setStyleSheet(QStringLiteral("color: #c62828;"));
    problem_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    problem_->hide();

    auto* form = new QFormLayout;
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    form->addRow(tr("Search"), method_);
    form->addRow(tr("Vary"), keyRow);
    form->addRow(lines_);
    form->addRow(linesHelp_);
    auto* numbers = new QHBoxLayout;
    numbers->addWidget(new QLabel(tr("Trials")));
    numbers->addWidget(randomTrials_);
    numbers->addWidget(new QLabel(tr("Seed")));
    numbers->addWidget(seed_);
    numbers->addStretch();
    form->addRow(tr("Random"), numbers);
    auto* running = new QHBoxLayout;
    running->addWidget(parallel_);
    running->addWidget(new QLabel(tr("trials at once")));
    running->addStretch();
    form->addRow(tr("Run"), running);
    auto* pruning = new QHBoxLayout;
    pruning->addWidget(new QLabel(tr("after epoch")));
    pruning->addWidget(pruneAfter_);
    pruning->addWidget(new QLabel(tr("once")));
    pruning->addWidget(pruneMinTrials_);
    pruning->addWidget(new QLabel(tr("completed")));
    pruning->addStretch();
    form->addRow(tr("Prune"), pruning);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(problem_);

    const auto edited = [this] {
        if (!updating_)
            Q_EMIT planEdited();
    };
    connect(method_, &QComboBox::currentIndexChanged, this, [this, edited] {
        updateMethodRows();
        edited();
    });
    connect(lines_, &QPlainTextEdit::textChanged, this, edited);
    for (QSpinBox* box : { randomTrials_, seed_, parallel_, pruneAfter_, pruneMinTrials_ })
        connect(box, &QSpinBox::valueChanged, this, edited);
    connect(insertKey_, &QPushButton::clicked, this, &ExperimentPlanEditor::insertChosenKey);
    updateMethodRows();
}

void ExperimentPlanEditor::setProject(const engine::Project& project)
{
    keys_->clear();
    const auto add = [this](const QString& key, const engine::ParamValue& value) {
        keys_->addItem(key, QString::fromStdString(engine::formatParamValue(value)));
    };
    for (const auto& block : project.graph.blocks()) {
        const engine::LayerType* type = engine::LayerRegistry::instance().find(block.type);
        if (!type)
            continue; // a composite instance: its blocks cannot be varied yet
        for (const auto& spec : type->description().params) {
            const auto it = block.params.find(spec.name);
            add(QString::fromStdString(block.id + "." + spec.name),
                it == block.params.end() ? spec.defaultValue : it->second);
        }
    }
    for (const auto& field : engine::TrainingSettings::fields())
        add(QString::fromStdString("training." + field.spec.name), field.get(project.training));
    for (const auto& field : engine::DatasetSpec::fields())
        add(QString::fromStdString("dataset." + field.spec.name), field.get(project.dataset));
}

QString ExperimentPlanEditor::keyLine(const QString& key) const
{
    const int index = keys_->findText(key);
    if (index < 0)
        return {};
    const QString value = keys_->itemData(index).toString();
    return key + "=" + value;
}

void ExperimentPlanEditor::insertChosenKey()
{
    const QString line = keyLine(keys_->currentText());
    if (line.isEmpty())
        return;
    QString text = lines_->toPlainText();
    if (method() == Method::List) {
        // A key joins every listed trial; the first trial gets one when there is none.
        QStringList trials = nonEmptyLines(text);
        if (trials.isEmpty())
            trials << line;
        else
            for (QString& trial : trials)
                trial += "; " + line;
        text = trials.join('\n');
    } else {
        if (!text.isEmpty() && !text.endsWith('\n'))
            text += '\n';
        text += line + ",";
    }
    lines_->setPlainText(text);
    lines_->setFocus();
    lines_->moveCursor(QTextCursor::End);
}

void ExperimentPlanEditor::setPlan(const engine::ExperimentPlan& plan)
{
    updating_ = true;
    const bool listed = !plan.trials.empty();
    setMethod(listed ? Method::List : plan.randomTrials > 0 ? Method::Random : Method::Grid);
    QStringList lines;
    for (const auto& line : listed ? plan.trials : plan.grid)
        lines << QString::fromStdString(line);
    lines_->setPlainText(lines.join('\n'));
    if (plan.randomTrials > 0)
        randomTrials_->setValue(int(plan.randomTrials));
    seed_->setValue(int(plan.seed));
    parallel_->setValue(int(std::max<int64_t>(1, plan.parallel)));
    pruneAfter_->setValue(int(plan.pruneAfter));
    pruneMinTrials_->setValue(int(plan.pruneMinTrials));
    updating_ = false;
}

engine::ExperimentPlan ExperimentPlanEditor::plan() const
{
    engine::ExperimentPlan plan;
    std::vector<std::string> lines;
    for (const QString& line : nonEmptyLines(lines_->toPlainText())) {
        QString cleaned = line;
        while (cleaned.endsWith(',') || cleaned.endsWith(';')) // "key=16,32," while typing the next value
            cleaned.chop(1);
        lines.push_back(cleaned.toStdString());
    }
    if (method() == Method::List)
        plan.trials = std::move(lines);
    else
        plan.grid = std::move(lines);
    if (method() == Method::Random)
        plan.randomTrials = randomTrials_->value();
    plan.seed = seed_->value();
    plan.parallel = parallel_->value();
    plan.pruneAfter = pruneAfter_->value();
    plan.pruneMinTrials = pruneMinTrials_->value();
    return plan;
}

ExperimentPlanEditor::Method ExperimentPlanEditor::method() const
{
    return static_cast<Method>(method_->currentIndex());
}

void ExperimentPlanEditor::setMethod(Method method)
{
    method_->setCurrentIndex(static_cast<int>(method));
    updateMethodRows();
}

void ExperimentPlanEditor::setLinesText(const QString& text)
{
    lines_->setPlainText(text);
}

QString ExperimentPlanEditor::linesText() const
{
    return lines_->toPlainText();
}

void ExperimentPlanEditor::setProblem(const QString& problem)
{
    problem_->setText(problem);
    problem_->setVisible(!problem.isEmpty());
}

QString ExperimentPlanEditor::problem() const
{
    return problem_->isHidden() ? QString() : problem_->text();
}

void ExperimentPlanEditor::updateMethodRows()
{
    const bool random = method() == Method::Random;
    randomTrials_->setEnabled(random);
    seed_->setEnabled(random);
    linesHelp_->setText(method() == Method::List
            ? tr("One trial a line: key=value; key=value. A key a trial leaves out keeps the project's value.")
            : tr("One key a line: key=value,value,… (lists in brackets: [3,3],[5,5]). Numbers, words of a "
                 "choice, true/false, auto."));
}

} // namespace netdraft::widgets
