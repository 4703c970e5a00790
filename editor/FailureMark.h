#pragma once
// The block a training run failed at, marked on the canvas: when a run stopped because its loss or a
// gradient became NaN or infinite and the failing batch's checks named a block (engine/train's
// NonFiniteDiagnosis), that block carries a dark-red ring and a "NaN"/"inf" tag, distinct from the
// red outline and badge of a design error, and what happened in its tooltip. A block inside a
// composite marks the instance on the project's graph and, while that composite is open, the inner
// block. Any undoable edit clears the mark (so does the next run, through the window).

#include <QObject>
#include <QString>

#include <optional>
#include <string>

namespace netdraft::engine {
class Graph;
}

namespace netdraft::editor {

class GraphScene;

/// Where and why a run stopped, as the run's record keeps it.
struct RunFailure {
    QString canvasBlock; ///< the project graph's block (the composite instance for an inner block)
    QString runBlock; ///< the block as the network ran it ("enc1__conv"); empty: canvasBlock itself
    QString detail; ///< "output became infinite in forward; its input ranged -1.59 … 2.21"; may be empty
};

/// The block of the graph shown for `scope` (empty: the project's graph, else the open composite's
/// inside) that stands for `failure`: the canvas block on the project's graph, the inner block (or the
/// nested instance around it) inside its composite; empty when it is not on that graph.
std::string failedBlockIn(const engine::Graph& project, const std::string& scope, const RunFailure& failure);

/// Keeps a run's failure marked on a GraphScene's items.
class FailureMark : public QObject {
    Q_OBJECT
public:
    explicit FailureMark(GraphScene& scene, QObject* parent = nullptr);

    /// Marks `failure`'s block (replacing any earlier mark).
    void show(const RunFailure& failure);
    void clear();
    const std::optional<RunFailure>& failure() const { return failure_; }
    /// The block of the graph on the canvas that carries the mark; empty when none does.
    const QString& markedBlock() const { return marked_; }
    /// "Training stopped: output became NaN in forward; its input ranged …" for the marked block (with
    /// "at block conv inside it" for an instance); empty when nothing is marked.
    QString text() const;

Q_SIGNALS:
    /// Another block carries the mark, or none does now.
    void changed();

private:
    /// Puts the mark on the item that stands for the failure in the scope shown, and off the others.
    void apply();

    GraphScene& scene_;
    std::optional<RunFailure> failure_;
    QString marked_;
};

} // namespace netdraft::editor
