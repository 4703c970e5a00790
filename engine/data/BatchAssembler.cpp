#include "engine/data/BatchAssembler.h"

#include "engine/core/Error.h"
#include "engine/core/Shape.h"
#include "engine/data/DatasetSplit.h"
#include "engine/data/SeededRandom.h"

namespace netdraft::engine {

BatchAssembler::BatchAssembler(const InMemoryDataset& data, const LoaderOptions& options)
    : data_(data)
    , options_(options)
{
    ND_CHECK(options_.batchSize > 0, "data loader: batch size must be > 0, got ", options_.batchSize);
    ND_CHECK(data_.inputs.defined() && data_.targets.defined(), "data loader: the dataset is empty");
    ND_CHECK(data_.inputs.size(0) == data_.targets.size(0), "data loader: ", data_.inputs.size(0), " inputs but ",
        data_.targets.size(0), " targets");
    data_.inputs = data_.inputs.contiguous();
    data_.targets = data_.targets.contiguous();
    images_ = data_.inputs.scalar_type() == torch::kUInt8 && data_.inputs.dim() == 4;
    const bool augmenting = options_.cropPadding > 0 || options_.horizontalFlip;
    ND_CHECK(!augmenting || images_, "data loader: crop and flip augmentation need uint8 images N×C×H×W, the dataset ",
        "gives ", formatFactors(data_.sampleShape()), " samples of type ", data_.inputs.scalar_type());
    ND_CHECK(options_.cropPadding >= 0, "data loader: crop padding must be >= 0, got ", options_.cropPadding);
    ND_CHECK(options_.shardCount >= 1 && options_.shardIndex >= 0 && options_.shardIndex < options_.shardCount,
        "data loader: shard ", options_.shardIndex, " of ", options_.shardCount, " does not exist");

    const Normalization& normalization = options_.normalization;
    if (normalization.enabled()) {
        ND_CHECK(data_.inputs.scalar_type() != torch::kInt64, "data loader: token ids (int64) cannot be normalised");
        const int64_t channels = data_.inputs.dim() >= 2 ? data_.inputs.size(1) : 1;
        ND_CHECK(int64_t(normalization.mean.size()) == channels && int64_t(normalization.std.size()) == channels,
            "data loader: normalisation has ", normalization.mean.size(), " means and ", normalization.std.size(),
            " stds but the inputs have ", channels, " channels");
        std::vector<int64_t> broadcast(static_cast<size_t>(data_.inputs.dim()), 1);
        broadcast[1] = channels;
        auto onDevice = torch::TensorOptions().dtype(torch::kFloat64);
        mean_ = torch::tensor(normalization.mean, onDevice).to(torch::kFloat32).view(broadcast).to(options_.device);
        std_ = torch::tensor(normalization.std, onDevice).to(torch::kFloat32).view(broadcast).to(options_.device);
    }
    if (images_ && !options_.device.is_cuda()) {
        auto sizes = data_.inputs.sizes().vec();
        sizes[0] = std::min(options_.batchSize, data_.size());
        staging_ = torch::empty(sizes, torch::kUInt8);
    }
    startEpoch(0);
}

int64_t BatchAssembler::batchesPerEpoch() const
{
    const int64_t count = data_.size(), size = options_.batchSize;
    return options_.dropLast ? count / size : (count + size - 1) / size;
}

void BatchAssembler::startEpoch(int64_t epoch)
{
    order_ = options_.shuffle ? seededPermutation(data_.size(), mixSeed({ options_.seed, uint64_t(epoch) }))
                              : torch::arange(data_.size(), torch::kInt64);
}

torch::Tensor BatchAssembler::gatherInputs(const torch::Tensor& indices)
{
    if (!images_)
        return data_.inputs.index_select(0, indices);
    auto sizes = data_.inputs.sizes().vec();
    sizes[0] = indices.size(0);
    torch::Tensor buffer;
    if (options_.device.is_cuda())
        // Fresh pinned memory from LibTorch's caching host allocator, which keeps a buffer until its
        // asynchronous copy has finished; reusing one buffer would race with that copy.
        buffer = torch::empty(sizes, torch::TensorOptions().dtype(torch::kUInt8).pinned_memory(true));
    else
        buffer = staging_.narrow(0, 0, indices.size(0));
    torch::index_select_out(buffer, data_.inputs, 0, indices);
    return buffer;
}

torch::Tensor BatchAssembler::augment(
    const torch::Tensor& images, int64_t epoch, int64_t index, int64_t first, int64_t batchSize) const
{
    const int64_t count = images.size(0), channels = images.size(1), height = images.size(2), width = images.size(3);
    const int64_t padding = options_.cropPadding;
    SeededRandom random(mixSeed({ options_.seed, uint64_t(epoch), uint64_t(index), 0xA7u }));
    std::vector<int64_t> top(count), left(count);
    std::vector<uint8_t> flip(count);
    // The whole batch's draws, so that a shard's samples are augmented as in a single-process run.
    for (int64_t i = 0; i < first + count && i < batchSize; ++i) {
        const int64_t drawnTop = random.below(2 * padding + 1);
        const int64_t drawnLeft = random.below(2 * padding + 1);
        const bool drawnFlip = options_.horizontalFlip && random.chance(0.5);
        if (i >= first) {
            top[i - first] = drawnTop;
            left[i - first] = drawnLeft;
            flip[i - first] = drawnFlip;
        }
    }
    auto longs = torch::TensorOptions().dtype(torch::kInt64);
    torch::Tensor rowStart = torch::tensor(top, longs).view({ count, 1 });
    torch::Tensor columnStart = torch::tensor(left, longs).view({ count, 1 });
    torch::Tensor flipped = torch::tensor(std::vector<int64_t>(flip.begin(), flip.end()), longs).view({ count, 1 });
    torch::Tensor rowsAcross = torch::arange(height, longs).view({ 1, height });
    torch::Tensor columnsAcross = torch::arange(width, longs).view({ 1, width });
    // A flip reads each row backwards, so crop and flip are one gather.
    torch::Tensor columns
        = columnStart + torch::where(flipped.to(torch::kBool), width - 1 - columnsAcross, columnsAcross);
    torch::Tensor rows = rowStart + rowsAcross;
    torch::Device device = images.device();
    torch::Tensor padded
        = padding > 0 ? torch::constant_pad_nd(images, { padding, padding, padding, padding }, 0) : images;
    return padded.index({ torch::arange(count, longs).view({ count, 1, 1, 1 }).to(device),
        torch::arange(channels, longs).view({ 1, channels, 1, 1 }).to(device),
        rows.view({ count, 1, height, 1 }).to(device), columns.view({ count, 1, 1, width }).to(device) });
}

torch::Tensor BatchAssembler::toModelInput(torch::Tensor inputs) const
{
    if (inputs.scalar_type() == torch::kInt64)
        return inputs;
    // Gathered inputs are fresh tensors, so the arithmetic below may work in place.
    torch::Tensor values = inputs.scalar_type() == torch::kFloat32 ? inputs : inputs.to(torch::kFloat32);
    if (data_.inputScale != 1.0)
        values.mul_(1.0 / data_.inputScale);
    if (mean_.defined())
        values.sub_(mean_).div_(std_);
    return values;
}

Batch BatchAssembler::assemble(int64_t epoch, int64_t index)
{
    torch::NoGradGuard noGradients;
    const int64_t start = index * options_.batchSize;
    ND_CHECK(index >= 0 && start < data_.size(), "data loader: batch ", index, " is past the end of the epoch");
    const int64_t batchSize = std::min(options_.batchSize, data_.size() - start);
    int64_t first = 0, count = batchSize;
    if (options_.shardCount > 1) { // as tensor_split: the first batchSize % shardCount parts have one more
        const int64_t part = batchSize / options_.shardCount, larger = batchSize % options_.shardCount;
        first = options_.shardIndex * part + std::min(options_.shardIndex, larger);
        count = part + (options_.shardIndex < larger ? 1 : 0);
    }
    torch::Tensor indices = order_.narrow(0, start + first, count);

    torch::Tensor inputs = gatherInputs(indices);
    torch::Tensor targets = data_.targets.index_select(0, indices);
    const bool cuda = options_.device.is_cuda();
    if (cuda) {
        // Move the compact uint8 batch; crop, flip and float conversion then run on the GPU.
        inputs = inputs.to(options_.device, /*non_blocking=*/inputs.is_pinned());
        targets = targets.pin_memory().to(options_.device, /*non_blocking=*/true);
    }
    if (images_ && (options_.cropPadding > 0 || options_.horizontalFlip))
        inputs = augment(inputs, epoch, index, first, batchSize);
    inputs = toModelInput(inputs);
    if (!cuda && options_.device != inputs.device()) {
        inputs = inputs.to(options_.device);
        targets = targets.to(options_.device);
    }
    return { inputs, targets };
}

} // namespace netdraft::engine
