#pragma once
// The editor's document: the project (the one truth), its undo stack and the latest shape inference.
// Views listen to its fine-grained signals and change it only by pushing undoable commands.

#include "editor/InferenceRunner.h"
#include "engine/graph/Block.h"
#include "engine/inference/ShapeInference.h"
#include "engine/project/Project.h"

#include <QObject>
#include <QPointF>
#include <QString>
#include <QUndoStack>

#include <memory>
#include <optional>

namespace netdraft::editor {

namespace commands {
class DocumentCommand;
class SetExperiment;
class SetSetting;
}

/// Which of the project's settings a field belongs to: engine::DatasetSpec or engine::TrainingSettings.
enum class SettingSection { Dataset, Training };

/// Owns the project and its undo history; re-runs shape inference (on a worker) after every change.
class GraphDocument : public QObject {
    Q_OBJECT
public:
    explicit GraphDocument(QObject* parent = nullptr);
    explicit GraphDocument(engine::Project project, QObject* parent = nullptr);

    const engine::Project& project() const { return project_; }
    /// The graph being edited: the project's graph, or the inside of the open composite (scope()).
    const engine::Graph& graph() const { return scope_.empty() ? project_.graph : scopeGraph_; }
    /// Inference for graph(); inside a composite, the shapes its first instance sees in the project.
    /// After an edit it is computed on a worker thread (inferenceUpdated() follows); reading it before
    /// that result arrives computes it here, for code that needs the current shapes at once.
    const engine::InferenceResult& inference() const;
    /// The latest published inference, which lags behind graph() for a moment after an edit; for views,
    /// which inferenceUpdated() refreshes. Never waits.
    const engine::InferenceResult& latestInference() const { return inference_; }
    /// An edit's inference has not been published yet.
    bool inferencePending() const { return inferencePending_; }

    /// The composite definition being edited, or empty for the project's graph.
    const QString& scope() const { return scopeName_; }
    /// Shows the inside of composite `name` (its definition: every instance follows). Navigation, not an edit.
    void openComposite(const QString& name);
    /// Back to the project's graph.
    void closeComposite() { enterScope(QString()); }
    /// Opens `scope` (empty: the project's graph) unless it is open; commands call it before they change anything.
    void enterScope(const QString& scope);
    QUndoStack* undoStack() { return &undoStack_; }

    /// The value of the dataset or training setting `name`; throws engine::Error for unknown fields.
    engine::ParamValue setting(SettingSection section, const std::string& name) const;

    /// Where the project's starting weights file is (Project::initialWeights): file bookkeeping of a
    /// save that moves them beside the project, not an edit of the design, so no undo step.
    void setInitialWeightsPath(const std::string& path) { project_.initialWeights = path; }
    /// Replaces the whole project (new, open) and clears the undo history.
    void resetProject(engine::Project project);
    /// Runs `command` and records it for undo; every change to the project goes through here.
    void push(QUndoCommand* command) { undoStack_.push(command); }

    /// A block of `type` (a layer type or a composite of the project) with default parameters and a
    /// fresh id, its top-left at `position`.
    engine::Block makeBlock(const QString& type, QPointF position) const;
    /// Adds a block of `type` through an undoable command; returns its id (empty for unknown types).
    QString addBlock(const QString& type, QPointF position);

Q_SIGNALS:
    /// Everything changed (resetProject): views rebuild.
    void projectReset();
    void blockAdded(const QString& id);
    void blockRemoved(const QString& id);
    /// Parameters, display name, frozen flag or learning-rate scale changed.
    void blockChanged(const QString& id);
    void blockMoved(const QString& id);
    void connectionAdded(const netdraft::engine::Connection& connection);
    void connectionRemoved(const netdraft::engine::Connection& connection);
    /// inference() holds the result for the current graph.
    void inferenceUpdated();
    /// Another composite was opened or closed (projectReset follows).
    void scopeChanged(const QString& scope);
    /// Composite definitions were added, removed or edited.
    void compositesChanged();
    /// One dataset or training setting changed (commands::SetSetting); the graph did not.
    void settingChanged(netdraft::editor::SettingSection section, const QString& name);
    /// The experiment saved with the project changed (commands::SetExperiment); the graph did not.
    void experimentChanged();

private:
    friend class commands::DocumentCommand;
    friend class commands::SetSetting;
    friend class commands::SetExperiment;

    /// Sets one settings field; emits settingChanged. Used by commands::SetSetting only.
    void setSetting(SettingSection section, const std::string& name, const engine::ParamValue& value);
    /// Replaces the saved experiment; emits experimentChanged. Used by commands::SetExperiment only.
    void setExperiment(const engine::ExperimentPlan& plan);

    // Primitive edits, used only by the commands; each emits its signal. Indices put blocks and
    // connections back exactly where they were, so that undo restores an identical project.
    void insertBlock(const engine::Block& block, size_t index);
    engine::Block removeBlock(const std::string& id);
    void insertConnection(const engine::Connection& connection, size_t index);
    void removeConnection(const engine::Connection& connection);
    void setPosition(const std::string& id, engine::Point position);
    void setParameter(const std::string& id, const std::string& name, const std::optional<engine::ParamValue>& value);
    void setDisplayName(const std::string& id, const std::string& name);
    /// Freezes or unfreezes block `id` (engine::Block::frozen); emits blockChanged.
    void setFrozen(const std::string& id, bool frozen);
    /// Sets block `id`'s factor on the learning rate (engine::Block::learningRateScale); emits blockChanged.
    void setLearningRateScale(const std::string& id, double scale);
    /// Replaces graph() as a whole (group, ungroup, import of a composite); views rebuild.
    void replaceGraph(const engine::Graph& graph);
    /// Replaces the project's graph as a whole (edits reaching several definitions); an open composite
    /// stays open while it exists, or becomes `scope` when that is another composite of `graph` (the
    /// open one renamed). Views rebuild.
    void replaceProjectGraph(const engine::Graph& graph, const QString& scope = QString());
    /// After an edit: infers a snapshot of the graph on the worker; inferenceUpdated() follows.
    void updateInference();
    /// Infers on this thread at once (new project, another scope); no signal.
    void updateInferenceQuietly();
    void publishInference(uint64_t generation, engine::InferenceResult result);
    /// The graph that primitive edits change; syncScope() writes the inside of a composite back.
    engine::Graph& editableGraph() { return scope_.empty() ? project_.graph : scopeGraph_; }
    void syncScope();
    /// scopeGraph_ from the open composite's definition (empty when none is open).
    void loadScopeGraph();

    engine::Project project_;
    std::string scope_;
    QString scopeName_;
    engine::Graph scopeGraph_; ///< the open composite's blocks, with the project's definitions for lookups
    engine::InferenceResult inference_;
    uint64_t inferenceGeneration_ = 0; ///< counts edits; a result of an older one is dropped
    bool inferencePending_ = false;
    QUndoStack undoStack_;
    std::unique_ptr<InferenceRunner> inferenceRunner_; ///< last: its thread is joined first
};

/// Ids of the engine as Qt strings and back.
inline QString toQString(const std::string& text)
{
    return QString::fromStdString(text);
}
inline std::string toStdString(const QString& text)
{
    return text.toStdString();
}

} // namespace netdraft::editor
