#pragma once
// The per-block statistics of one run as the histogram panel reads them: the recorded batches in
// order (live from the training worker or from a run folder's statistics.jsonl), each block's
// histograms and gradient norms over the steps, and the dead-ReLU warnings of each epoch.

#include "engine/train/BlockStatistics.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace netdraft::widgets {

/// Which values of a block: its output's or its parameters' gradients.
enum class StatisticsValues { Activations, Gradients };

/// One block's histogram at one recorded batch.
struct HistogramAtStep {
    int64_t step = 0;
    int64_t epoch = 0;
    engine::ValueHistogram histogram;
};

class StatisticsHistory {
public:
    void clear();
    void add(const engine::StatisticsRecord& record);
    /// Every record of a statistics.jsonl file; throws engine::Error naming the file and line.
    void load(const QString& path);

    bool isEmpty() const { return records_.empty(); }
    int recordCount() const { return int(records_.size()); }
    /// The blocks in the order the network ran them (first record that named each).
    const QStringList& blockIds() const { return blockIds_; }
    /// "Classifier (fc) · Linear"
    QString describe(const QString& blockId) const;
    bool hasParameters(const QString& blockId) const;
    /// The first block `canvasIds` hold: the id itself, or an inner block of a composite instance
    /// ("enc1" holds "enc1__conv"); empty when none is recorded.
    QString blockOfCanvas(const QStringList& canvasIds) const;

    /// The block's histograms over the recorded batches that have one, in step order.
    std::vector<HistogramAtStep> histograms(const QString& blockId, StatisticsValues values) const;
    /// The block's gradient norm at each recorded batch (step, norm); empty without parameters.
    std::vector<std::pair<int64_t, double>> gradientNorms(const QString& blockId) const;
    /// The dead-ReLU warnings of the latest epoch recorded so far (engine::deadReluWarnings of its
    /// records' averages).
    QStringList warnings() const;

private:
    std::vector<engine::StatisticsRecord> records_;
    QStringList blockIds_;
    std::vector<QString> descriptions_; ///< by blockIds_ position
    std::vector<bool> parameters_;
};

} // namespace netdraft::widgets
