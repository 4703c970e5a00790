#pragma once
// Per-block statistics of a training run (TrainingSettings::statisticsEvery): each block's output and
// its parameters' gradients at a recorded batch, averages over an epoch, and their JSON lines
// (statistics.jsonl in the run folder). Plain values, LibTorch-free; DeadReluCheck reads them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace netdraft::engine {

/// Figures of a tensor's values: mean, standard deviation (population: divided by the count), the share
/// of values exactly zero, and the largest magnitude.
struct ValueSummary {
    double mean = 0.0;
    double std = 0.0;
    double zeroFraction = 0.0;
    double maxAbs = 0.0;
};

/// How a tensor's values spread: `counts.size()` equal bins over [low, high] (torch::histc's bins: the
/// last one includes `high`). When every value was equal, the range is that value ± 1, as histc makes it.
struct ValueHistogram {
    double low = 0.0;
    double high = 0.0;
    std::vector<double> counts;
    /// The bin holding `value`, or -1 outside [low, high].
    int binOf(double value) const;
};

/// One block at one recorded batch (or averaged over an epoch's recorded batches).
struct BlockStatistics {
    std::string blockId; ///< as the network runs it ("enc1__conv")
    std::string label; ///< "Classifier (fc)"
    std::string type; ///< the layer type ("ReLU"); empty when unknown
    ValueSummary activation; ///< its output (every output port's values together)
    /// Its parameters' gradients together, after the batch's backward pass; absent for blocks without
    /// trainable parameters.
    std::optional<ValueSummary> gradient;
    double gradientNorm = 0.0; ///< the L2 norm of those gradients (0 without parameters)
    /// The histograms of the output's and the gradients' values; absent in averages, in files written
    /// before they were recorded, and when a value was not finite.
    std::optional<ValueHistogram> activationHistogram;
    std::optional<ValueHistogram> gradientHistogram;
};

/// Every block (but the Input and Output) at one batch, in execution order. Counted from 1.
struct StatisticsRecord {
    int64_t epoch = 0;
    int64_t batch = 0;
    int64_t step = 0; ///< optimizer steps before this batch's
    std::vector<BlockStatistics> blocks;
};

/// The mean of each figure over `records` per block (max |x| too is averaged), in the first record's
/// block order, without histograms; empty for no records.
std::vector<BlockStatistics> averageStatistics(const std::vector<StatisticsRecord>& records);

/// One line of statistics.jsonl: {"epoch":1,"batch":50,"step":49,"blocks":[{"id":…,"name":…,"type":…,
/// "activation":{"mean":…,"std":…,"zeros":…,"max_abs":…,"histogram":{"low":…,"high":…,"counts":[…]}},
/// "gradient":{…,"norm":…}}]}; "histogram" only when recorded.
std::string statisticsJsonLine(const StatisticsRecord& record);

/// Reads one line that statisticsJsonLine() wrote (or an older one without histograms); throws Error
/// naming what is missing or of the wrong kind. A figure written as null (not finite) reads as NaN.
StatisticsRecord parseStatisticsJsonLine(const std::string& line);

/// Every record of a statistics.jsonl file, in file order; blank lines are skipped. Throws Error naming
/// the file and line when one does not read, or when the file cannot be opened.
std::vector<StatisticsRecord> readStatisticsFile(const std::string& path);

} // namespace netdraft::engine
