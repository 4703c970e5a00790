#pragma once
// The form that writes an experiment: what varies (one "KEY=VALUE,VALUE,…" line per key for a grid or
// a random search, one "KEY=VALUE; KEY=VALUE" line per trial for a list), how many random trials with
// which seed, trials at once and the median stopping rule. It edits a plain engine::ExperimentPlan; the
// app saves it through an undoable command and the engine checks it against the project.

#include "engine/project/ExperimentPlan.h"
#include "engine/project/Project.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace netdraft::widgets {

class ExperimentPlanEditor : public QWidget {
    Q_OBJECT
public:
    enum class Method { Grid, Random, List };

    explicit ExperimentPlanEditor(QWidget* parent = nullptr);

    /// The keys offered by the key chooser: the project's training and dataset settings and the
    /// parameters of its top-level layer blocks, each with its current value.
    void setProject(const engine::Project& project);
    void setPlan(const engine::ExperimentPlan& plan);
    engine::ExperimentPlan plan() const;
    Method method() const;
    void setMethod(Method method);
    /// The varied-values text, one line per key (grid, random) or per trial (list).
    void setLinesText(const QString& text);
    QString linesText() const;
    /// Shown under the form in red: why the plan cannot run (empty hides it).
    void setProblem(const QString& problem);
    QString problem() const;
    /// "key=current value" for the key chooser's entry `key` (empty when the project lacks it).
    QString keyLine(const QString& key) const;

Q_SIGNALS:
    /// The user changed anything in the form.
    void planEdited();

private:
    void insertChosenKey();
    void updateMethodRows();

    QComboBox* method_ = nullptr;
    QPlainTextEdit* lines_ = nullptr;
    QComboBox* keys_ = nullptr;
    QPushButton* insertKey_ = nullptr;
    QSpinBox* randomTrials_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QSpinBox* parallel_ = nullptr;
    QSpinBox* pruneAfter_ = nullptr;
    QSpinBox* pruneMinTrials_ = nullptr;
    QLabel* problem_ = nullptr;
    QLabel* linesHelp_ = nullptr;
    bool updating_ = false;
};

} // namespace netdraft::widgets
