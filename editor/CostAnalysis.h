#pragma once
// What the network costs, kept current while editing: after each inference (and each training
// setting change, and on opening a composite) a snapshot of the project is compiled and counted on a
// worker thread (engine/insight), and the figures come back as plain values for the canvas overlay,
// the inspector, the summary table and the memory-fit line; inside an open composite, per inner block.
// The Cost panel's Profile hands its measured times over (setProfile); each count adds them to the
// blocks while the design and the settings timed are still those of the count.

#include "editor/GraphDocument.h"
#include "editor/LatestJobRunner.h"
#include "engine/insight/BlockProfiler.h"
#include "engine/insight/DeviceMemory.h"
#include "engine/insight/NetworkCost.h"

#include <QObject>
#include <QString>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace netdraft::engine {
class ParameterCounter;
}

namespace netdraft::editor {

/// The figures of one block of the project graph; a composite instance sums the blocks inside it.
struct CanvasBlockCost {
    int64_t parameters = 0;
    int64_t multiplyAccumulates = 0; ///< one sample
    int64_t activationBytes = 0; ///< its outputs for the whole batch
    /// What the count warns of (engine/insight/ParameterShare.h): a layer holding most of the
    /// parameters; inside a composite "inside <Type>, block <inner>: …".
    std::vector<std::string> warnings;
    /// The latest profile's mean time per batch (ms), while it is current (CostReport::profile).
    bool timed = false;
    double forwardMs = 0.0;
    double backwardMs = 0.0;

    double timeMs() const { return forwardMs + backwardMs; }
};

/// Whether the blocks carry measured times.
enum class ProfileState {
    None, ///< nothing was profiled
    Current, ///< measured for the design and training settings counted
    Stale ///< measured for another design, batch size or device (an edit since): no times
};

/// One count of the project.
struct CostReport {
    engine::NetworkCost cost; ///< per expanded block (Input included, Output left out), with the totals
    std::map<std::string, std::string> canvasBlockOf; ///< expanded id → the project graph's block
    std::map<std::string, CanvasBlockCost> canvasBlocks; ///< the project graph's block id → its figures
    engine::DeviceMemory device; ///< the training device; capacityBytes 0 when it is not available
    std::string deviceProblem; ///< why the device's memory is unknown
    std::string problem; ///< why nothing was counted (the design has errors); empty when counted
    /// The open composite the count was made for (empty: the project's graph), and for it the figures
    /// of each inner block in one instance: the first on the project's graph, else the first nested one
    /// level by level (the instance whose shapes the canvas shows); a nested instance sums its blocks.
    std::string scope;
    std::string scopeInstance; ///< that instance's path: "ir1", "block2/ir" for a nested one
    std::map<std::string, CanvasBlockCost> scopeBlocks;
    ProfileState profile = ProfileState::None;
    /// While current: every block's forward + backward time summed (the whole pass, block by block),
    /// and the batch size and device measured on.
    double profiledMs = 0.0;
    int64_t profiledBatchSize = 0;
    std::string profiledDevice;

    bool counted() const { return problem.empty(); }
};

/// What the overlay colours blocks by; Time needs a current profile.
enum class CostMetric { MultiplyAccumulates, Parameters, Memory, Time };

/// The figure of `metric` in `block` (Time: forward + backward in whole microseconds, 0 untimed), its
/// name ("MACs") and its text ("4.72 M", "1.234 ms").
int64_t metricValue(const CanvasBlockCost& block, CostMetric metric);
QString metricName(CostMetric metric);
QString formatMetric(int64_t value, CostMetric metric);

/// "Training memory at batch size 64 (sgd, fp32): 34.1 MiB — fits in 23.5 GiB of cpu; the largest
/// batch size that fits is 47100", or why there is no estimate.
QString memoryFitText(const CostReport& report);
/// "Parameters: 1.40 M" (the whole network's), or "Parameters: –" until the design has no errors.
QString parameterTotalText(const CostReport& report);
/// "1403978 parameters: 1403978 trainable, 0 frozen", or why nothing was counted.
QString parameterTotalToolTip(const CostReport& report);

struct MeasuredProfile; ///< a profile with what it was measured on (CostAnalysis.cpp)

/// Counts the document's project after every change, off the GUI thread.
class CostAnalysis : public QObject {
    Q_OBJECT
public:
    explicit CostAnalysis(GraphDocument& document, QObject* parent = nullptr);
    ~CostAnalysis() override;

    /// The document counted (for the names its blocks show).
    const GraphDocument& document() const { return document_; }
    /// The latest count; it lags behind the document for a moment after an edit (updated() follows).
    const CostReport& report() const { return report_; }
    /// A change has not been counted yet (or its inference, which starts the count, is still running).
    bool pending() const { return pending_ || document_.inferencePending(); }
    /// The figures of block `id` of the graph on the canvas: inside an open composite, those of the
    /// inner block in report().scopeInstance; null for blocks not counted (and inside a composite that
    /// has no instance).
    const CanvasBlockCost* blockCost(const QString& id) const;
    /// Keeps `profile`, measured on `measured` (the project as it was when Profile started), and counts
    /// again so that the blocks carry its times while the design and its batch size and device are those.
    void setProfile(const engine::NetworkProfile& profile, const engine::Project& measured);

Q_SIGNALS:
    /// report() holds the count of the current project.
    void updated();

private:
    void recount();

    GraphDocument& document_;
    CostReport report_;
    uint64_t generation_ = 0;
    bool pending_ = false;
    /// Used only on the worker thread (one job at a time); it remembers blocks it has built.
    std::shared_ptr<engine::ParameterCounter> counter_;
    std::shared_ptr<const MeasuredProfile> profile_; ///< shared with the count's jobs
    std::unique_ptr<LatestJobRunner<CostReport>> runner_; ///< last: its thread is joined first
};

} // namespace netdraft::editor
