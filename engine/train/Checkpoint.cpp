#include "engine/train/Checkpoint.h"

#include "engine/core/Error.h"
#include "engine/io/AtomicFile.h"
#include "engine/io/TensorRecordCheck.h"
#include "engine/io/TensorStorageCheck.h"
#include "engine/io/TorchErrorText.h"
#include "engine/io/ZipContainerCheck.h"

#include <algorithm>
#include <sstream>

namespace netdraft::engine {

namespace {

constexpr int64_t formatVersion = 1;
const char* const versionKey = "netdraft_checkpoint_version";

c10::List<std::string> namesOf(const NamedTensors& tensors)
{
    c10::List<std::string> names;
    for (const auto& item : tensors)
        names.push_back(item.first);
    return names;
}

c10::List<torch::Tensor> valuesOf(const NamedTensors& tensors)
{
    c10::List<torch::Tensor> values;
    for (const auto& item : tensors)
        values.push_back(item.second.detach().to(torch::kCPU));
    return values;
}

void writeNamedTensors(torch::serialize::OutputArchive& archive, const std::string& key, const NamedTensors& tensors)
{
    archive.write(key + "_names", c10::IValue(namesOf(tensors)));
    archive.write(key + "_tensors", c10::IValue(valuesOf(tensors)));
}

} // namespace

NamedTensors moduleState(const torch::nn::Module& module)
{
    NamedTensors state;
    for (const auto& item : module.named_parameters())
        state.emplace_back(item.key(), item.value());
    for (const auto& item : module.named_buffers())
        state.emplace_back(item.key(), item.value());
    return state;
}

void loadModuleState(torch::nn::Module& module, const NamedTensors& state, const std::string& where)
{
    torch::NoGradGuard noGrad;
    for (auto& [name, target] : moduleState(module)) {
        const std::string& wanted = name; // C++17: a lambda cannot capture a structured binding (clang refuses)
        auto found = std::find_if(state.begin(), state.end(), [&](const auto& item) { return item.first == wanted; });
        ND_CHECK(found != state.end(), where, ": has no tensor '", name, "' that the model needs");
        ND_CHECK(found->second.sizes() == target.sizes(), where, ": tensor '", name, "' has shape ",
            found->second.sizes(), " but the model expects ", target.sizes());
        target.copy_(found->second);
    }
}

void saveCheckpoint(const std::string& path, const CheckpointContents& contents)
{
    ND_CHECK(contents.model, "saveCheckpoint: no model given");
    torch::serialize::OutputArchive archive;
    archive.write(versionKey, c10::IValue(formatVersion));
    archive.write("graph_hash", c10::IValue(contents.graphHash));
    archive.write("settings_json", c10::IValue(contents.settingsJson));
    writeNamedTensors(archive, "model", moduleState(*contents.model));
    const bool resumable = contents.optimizer != nullptr;
    archive.write("resumable", c10::IValue(resumable));
    if (resumable) {
        torch::serialize::OutputArchive optimizerArchive;
        contents.optimizer->save(optimizerArchive);
        archive.write("optimizer", optimizerArchive);
        archive.write("optimizer_name", c10::IValue(contents.optimizerName));
        archive.write("schedule_name", c10::IValue(contents.scheduleName));
        const TrainingProgress& p = contents.progress;
        archive.write("progress",
            c10::IValue(
                c10::List<int64_t>({ p.epoch, p.batchInEpoch, p.step, p.bestEpoch, p.epochsWithoutImprovement })));
        archive.write("best_value", c10::IValue(p.bestValue));
        ND_CHECK(contents.rngState.defined(), "saveCheckpoint: no RNG state given");
        archive.write("rng_cpu", contents.rngState.to(torch::kCPU), /*is_buffer=*/true);
        writeNamedTensors(archive, "best", contents.bestWeights);
    }

    // Serialized in memory first: LibTorch's zip writer calls std::terminate when a file write fails
    // (full disk), and the one atomic writer (temporary file, fsync, rename, folder fsync) is shared
    // with projects and exports.
    std::ostringstream bytes;
    try {
        archive.save_to(bytes);
    } catch (const c10::Error& error) {
        ND_CHECK(false, "checkpoint ", path, ": cannot be written (", error.what_without_backtrace(), ")");
    }
    ND_CHECK(bytes.good(), "checkpoint ", path, ": cannot be written (out of memory while serializing)");
    writeFileAtomically(path, bytes.str());
}

void saveWeights(const std::string& path, const torch::nn::Module& model, const std::string& graphHash)
{
    CheckpointContents contents;
    contents.model = &model;
    contents.graphHash = graphHash;
    saveCheckpoint(path, contents);
}

struct Checkpoint::Archive {
    torch::serialize::InputArchive input;
};

Checkpoint::Checkpoint() = default;
Checkpoint::Checkpoint(Checkpoint&&) noexcept = default;
Checkpoint& Checkpoint::operator=(Checkpoint&&) noexcept = default;
Checkpoint::~Checkpoint() = default;

Checkpoint Checkpoint::open(const std::string& path, torch::Device device)
{
    // LibTorch aborts or reads out of bounds on some damaged archives; check the structure and the
    // tensor records' sizes first, then load those same bytes (the file is read once).
    std::string bytes;
    PtArchiveContents contents;
    try {
        bytes = readCheckedPtArchive(path, PtArchiveKind::Pickle, contents);
    } catch (const Error& error) {
        ND_CHECK(false, "checkpoint ", error.what());
    }
    return fromCheckedArchive(std::move(bytes), contents, path, device);
}

Checkpoint Checkpoint::fromCheckedArchive(
    std::string bytes, const PtArchiveContents& contents, const std::string& path, torch::Device device)
{
    try {
        checkTensorRecordSizes(bytes, contents, path);
    } catch (const Error& error) {
        ND_CHECK(false, "checkpoint ", error.what());
    }

    Checkpoint checkpoint;
    checkpoint.path_ = path;
    checkpoint.archive_ = std::make_unique<Archive>();
    try {
        torch::serialize::InputArchive& input = checkpoint.archive_->input;
        std::istringstream stream(std::move(bytes));
        input.load_from(stream, device);
        c10::IValue value;
        ND_CHECK(input.try_read(versionKey, value) && value.isInt(), "checkpoint ", path,
            ": a TorchScript module, not a Netdraft checkpoint (no ", versionKey,
            "); to use a model's weights, save them with torch.save(model.state_dict(), path)");
        ND_CHECK(value.toInt() <= formatVersion, "checkpoint ", path, ": format version ", value.toInt(),
            " is newer than this Netdraft understands (", formatVersion, ")");
        input.read("graph_hash", value);
        checkpoint.graphHash_ = value.toStringRef();
        input.read("settings_json", value);
        checkpoint.settingsJson_ = value.toStringRef();
        input.read("resumable", value);
        checkpoint.canResume_ = value.toBool();
        if (checkpoint.canResume_) {
            input.read("optimizer_name", value);
            checkpoint.optimizerName_ = value.toStringRef();
            input.read("schedule_name", value);
            checkpoint.scheduleName_ = value.toStringRef();
            input.read("progress", value);
            const auto numbers = value.toIntList();
            ND_CHECK(
                numbers.size() == 5, "checkpoint ", path, ": progress has ", numbers.size(), " numbers, expected 5");
            checkpoint.progress_ = { numbers[0], numbers[1], numbers[2], numbers[3], 0.0, numbers[4] };
            input.read("best_value", value);
            checkpoint.progress_.bestValue = value.toDouble();
            ND_CHECK(checkpoint.progress_.epoch >= 0 && checkpoint.progress_.batchInEpoch >= 0, "checkpoint ", path,
                ": negative progress");
        }
    } catch (const Error&) {
        throw;
    } catch (const std::exception& error) {
        // Not only c10::Error: damaged TorchScript code in the archive makes LibTorch's parser throw its
        // own ErrorReport, which would otherwise leave the engine uncaught (found by FuzzWeightsImport).
        ND_CHECK(false, "checkpoint ", path, ": cannot be read (", torchErrorText(error), ")");
    }
    return checkpoint;
}

void Checkpoint::requireGraph(const std::string& expectedHash) const
{
    ND_CHECK(graphHash_ == expectedHash, "checkpoint ", path_, " was written for a different graph (fingerprint ",
        graphHash_, ", the project's graph has ", expectedHash,
        "); blocks, parameters or connections changed since, so its weights do not fit");
}

namespace {

NamedTensors readNamedTensors(torch::serialize::InputArchive& input, const std::string& key, const std::string& path)
{
    try {
        c10::IValue names;
        c10::IValue tensors;
        input.read(key + "_names", names);
        input.read(key + "_tensors", tensors);
        const auto nameList = names.toList();
        const auto tensorList = tensors.toTensorList();
        ND_CHECK(nameList.size() == tensorList.size(), "checkpoint ", path, ": ", key, " has ", nameList.size(),
            " names but ", tensorList.size(), " tensors");
        NamedTensors result;
        for (size_t i = 0; i < nameList.size(); ++i) {
            checkTensorWithinStorage(tensorList.get(i), "checkpoint " + path, nameList.get(i).toStringRef());
            result.emplace_back(nameList.get(i).toStringRef(), tensorList.get(i));
        }
        return result;
    } catch (const c10::Error& error) {
        ND_CHECK(false, "checkpoint ", path, ": cannot read ", key, " (", error.what_without_backtrace(), ")");
    }
    return {};
}

} // namespace

void Checkpoint::restoreModel(torch::nn::Module& model) const
{
    loadModuleState(model, modelState(), "checkpoint " + path_);
}

NamedTensors Checkpoint::modelState() const
{
    return readNamedTensors(archive_->input, "model", path_);
}

void Checkpoint::restoreOptimizer(torch::optim::Optimizer& optimizer, const std::string& optimizerName) const
{
    ND_CHECK(canResume_, "checkpoint ", path_, ": holds weights only, no training state to resume");
    ND_CHECK(optimizerName == optimizerName_, "checkpoint ", path_, ": was written with optimizer ", optimizerName_,
        ", the project now uses ", optimizerName, "; set it back or start a fresh run");
    try {
        torch::serialize::InputArchive optimizerArchive;
        archive_->input.read("optimizer", optimizerArchive);
        optimizer.load(optimizerArchive);
    } catch (const c10::Error& error) {
        ND_CHECK(false, "checkpoint ", path_, ": cannot restore the optimizer state (", error.what_without_backtrace(),
            "); its parameter groups follow the blocks' frozen flags and learning_rate_scale values when it was "
            "written: set them back or start a fresh run");
    }
}

torch::Tensor Checkpoint::rngState() const
{
    torch::Tensor state;
    ND_CHECK(
        canResume_ && archive_->input.try_read("rng_cpu", state, true), "checkpoint ", path_, ": has no RNG state");
    return state.to(torch::kCPU);
}

NamedTensors Checkpoint::bestWeights() const
{
    return canResume_ ? readNamedTensors(archive_->input, "best", path_) : NamedTensors {};
}

} // namespace netdraft::engine
