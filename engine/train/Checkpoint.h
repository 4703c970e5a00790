#pragma once
// Checkpoint files: everything needed to continue a run exactly (weights, optimizer state, schedule
// position, RNG state, progress), tied to the graph they were trained for. Also the final-weights file,
// which is a checkpoint with the model alone.

#include <torch/torch.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace netdraft::engine {

struct PtArchiveContents;
using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

/// Where a run stands. Epochs are counted from 0; `epoch` is the next epoch to run.
struct TrainingProgress {
    int64_t epoch = 0; ///< epochs completed
    int64_t batchInEpoch = 0; ///< batches already trained of epoch `epoch` (a stop mid-epoch)
    int64_t step = 0; ///< optimizer steps in total
    int64_t bestEpoch = -1; ///< 0-based epoch with the best monitored value; -1 = none yet
    double bestValue = 0.0; ///< that value
    int64_t epochsWithoutImprovement = 0;
};

/// What saveCheckpoint writes; the pointers must outlive the call.
struct CheckpointContents {
    const torch::nn::Module* model = nullptr;
    const torch::optim::Optimizer* optimizer = nullptr; ///< null for a weights-only file
    std::string optimizerName; ///< sgd, adam, ... (checked on resume)
    std::string scheduleName;
    TrainingProgress progress;
    std::string graphHash; ///< graphFingerprint() of the project's graph
    std::string settingsJson; ///< the training settings, for the record
    torch::Tensor rngState; ///< the CPU generator's state; undefined for a weights-only file
    NamedTensors bestWeights; ///< keep-best snapshot; may be empty
};

/// Writes `contents` to `path` atomically: a temporary file in the same folder, then a rename, so a
/// crash leaves the previous checkpoint intact. Throws Error naming the file when writing fails.
void saveCheckpoint(const std::string& path, const CheckpointContents& contents);

/// Writes a weights-only file (the model and the graph hash).
void saveWeights(const std::string& path, const torch::nn::Module& model, const std::string& graphHash);

/// A checkpoint or weights file opened for reading. Opening checks the zip structure, CRCs and the
/// entries LibTorch needs before LibTorch sees the file.
class Checkpoint {
public:
    /// Throws Error naming the file for a missing, truncated, damaged or foreign file.
    static Checkpoint open(const std::string& path, torch::Device device = torch::kCPU);
    /// The same from `bytes`, the whole of `path` already read and structure-checked as a pickle
    /// archive (checkPtArchive gave `contents`), so a caller that looked inside reads the file once.
    static Checkpoint fromCheckedArchive(std::string bytes, const PtArchiveContents& contents,
        const std::string& path, torch::Device device = torch::kCPU);
    Checkpoint(Checkpoint&&) noexcept;
    Checkpoint& operator=(Checkpoint&&) noexcept;
    ~Checkpoint();

    const std::string& path() const { return path_; }
    const std::string& graphHash() const { return graphHash_; }
    /// Throws Error when the file was written for a graph with another fingerprint.
    void requireGraph(const std::string& expectedHash) const;
    /// Whether it holds a full training state (false for a weights-only file).
    bool canResume() const { return canResume_; }

    TrainingProgress progress() const { return progress_; }
    const std::string& optimizerName() const { return optimizerName_; }
    const std::string& scheduleName() const { return scheduleName_; }
    const std::string& settingsJson() const { return settingsJson_; }

    /// Copies every parameter and buffer of `model` from the file by name; throws Error naming the
    /// tensor when one is missing or has another shape.
    void restoreModel(torch::nn::Module& model) const;
    /// The model's parameters and buffers as the file holds them, by name.
    NamedTensors modelState() const;
    /// Loads the optimizer's state (momentum buffers, Adam moments, step counts).
    void restoreOptimizer(torch::optim::Optimizer& optimizer, const std::string& optimizerName) const;
    torch::Tensor rngState() const;
    NamedTensors bestWeights() const;

private:
    Checkpoint();
    struct Archive;
    std::unique_ptr<Archive> archive_;
    std::string path_;
    std::string graphHash_;
    std::string optimizerName_;
    std::string scheduleName_;
    std::string settingsJson_;
    TrainingProgress progress_;
    bool canResume_ = false;
};

/// Named parameters and buffers of a module (its state), as they are now.
NamedTensors moduleState(const torch::nn::Module& module);

/// Copies `state` into `module` by name; throws Error for a missing name or a shape mismatch.
void loadModuleState(torch::nn::Module& module, const NamedTensors& state, const std::string& where);

} // namespace netdraft::engine
