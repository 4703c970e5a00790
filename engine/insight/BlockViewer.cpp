#include "engine/insight/BlockViewer.h"

#include "engine/core/Error.h"
#include "engine/data/SampleDescription.h"
#include "engine/insight/BlockViewerRun.h"
#include "engine/train/WeightsImport.h"

#include <filesystem>
#include <sstream>

namespace netdraft::engine {

namespace {

/// Stops the walk once the wanted block has given its output: the blocks after it need not run.
struct ReachedBlock { };

class BlockCatcher : public StepWatcher {
public:
    explicit BlockCatcher(std::string blockId)
        : blockId_(std::move(blockId))
    {
    }
    void afterStep(size_t, const std::string& blockId, const std::vector<torch::Tensor>&,
        const std::vector<torch::Tensor>& outputs) override
    {
        if (blockId != blockId_)
            return;
        output = outputs.at(0);
        throw ReachedBlock {};
    }
    torch::Tensor output;

private:
    std::string blockId_;
};

/// Sets a watcher for the scope of one forward() call, even when it ends with an exception.
class WatcherScope {
public:
    WatcherScope(GraphModelImpl& model, StepWatcher* watcher)
        : model_(model)
    {
        model_.setStepWatcher(watcher);
    }
    ~WatcherScope() { model_.setStepWatcher(nullptr); }

private:
    GraphModelImpl& model_;
};

std::string resolveAgainst(const std::string& directory, const std::string& path)
{
    if (path.empty() || std::filesystem::path(path).is_absolute())
        return path;
    return (std::filesystem::path(directory) / path).string();
}

} // namespace

std::string BlockOutput::shapeText() const
{
    std::string text;
    for (size_t i = 0; i < shape.size(); ++i)
        text += (i ? "×" : "") + std::to_string(shape[i]);
    return text;
}

torch::Tensor blockOutputOf(GraphModelImpl& model, const torch::Tensor& input, const std::string& blockId)
{
    const auto& order = model.order();
    ND_CHECK(std::find(order.begin(), order.end(), blockId) != order.end(), "the network has no block ", blockId);
    BlockCatcher catcher(blockId);
    WatcherScope scope(model, &catcher);
    try {
        model.forward(input);
    } catch (const ReachedBlock&) {
    }
    ND_CHECK(catcher.output.defined(), "block ", blockId, " did not run");
    return catcher.output;
}

void BlockViewer::Run::checkSampleIndex(int64_t index) const
{
    ND_CHECK(test.size() > 0, "the dataset has no test part to take samples from");
    ND_CHECK(index >= 0 && index < test.size(), "test sample ", index, " does not exist: the test part has ",
        test.size(), " samples (0–", test.size() - 1, ")");
}

torch::Tensor BlockViewer::Run::input(int64_t index) const
{
    checkSampleIndex(index);
    return samples->assemble(0, index).inputs;
}

BlockViewer::BlockViewer(const Project& project, const std::string& projectDirectory, const std::string& weightsPath)
    : run_(std::make_unique<Run>(Run { CompiledNetwork::compile(project) }))
{
    Run& run = *run_;
    const ExpectedData expected = expectedData(run.network);
    PreparedData data = prepareData(project.dataset, projectDirectory, expected);
    run.test = std::move(data.test);
    run.model = buildModel(run.network, static_cast<uint64_t>(project.training.seed));
    const std::string weights
        = weightsPath.empty() ? resolveAgainst(projectDirectory, project.initialWeights) : weightsPath;
    if (!weights.empty())
        importWeightsFile(*run.model, weights);
    run.model->eval();
    run.names = RunBlockNames::of(run.network);
    run.sampleShape = run.test.sampleShape();
    run.images = holdsImages(run.test);
    LoaderOptions options;
    options.batchSize = 1;
    options.shuffle = false;
    options.prefetch = false;
    options.normalization = data.normalization;
    run.samples = std::make_unique<BatchAssembler>(run.test, options);
    run.samples->startEpoch(0);
}

BlockViewer::~BlockViewer() = default;
BlockViewer::BlockViewer(BlockViewer&&) noexcept = default;
BlockViewer& BlockViewer::operator=(BlockViewer&&) noexcept = default;

int64_t BlockViewer::testSamples() const
{
    return run_->test.size();
}

const std::vector<int64_t>& BlockViewer::sampleShape() const
{
    return run_->sampleShape;
}

bool BlockViewer::images() const
{
    return run_->images;
}

bool BlockViewer::classification() const
{
    return run_->network.signature().classification;
}

const std::vector<std::string>& BlockViewer::classNames() const
{
    return run_->test.classNames;
}

std::string BlockViewer::className(int64_t index) const
{
    const std::vector<std::string>& names = classNames();
    return index >= 0 && index < static_cast<int64_t>(names.size()) ? names[static_cast<size_t>(index)]
                                                                    : std::to_string(index);
}

std::vector<std::string> BlockViewer::blockIds() const
{
    std::vector<std::string> ids;
    for (const NetworkStep* step : run_->network.layers())
        ids.push_back(step->id());
    return ids;
}

std::string BlockViewer::blockLabel(const std::string& blockId) const
{
    return run_->names.find(blockId).label;
}

std::string BlockViewer::resolveBlock(const std::string& name) const
{
    std::vector<std::string> known;
    for (const NetworkStep& step : run_->network.steps()) {
        if (step.id() == name)
            return name;
        known.push_back(
            step.block->displayName() == step.id() ? step.id() : step.block->displayName() + " (" + step.id() + ")");
    }
    for (const NetworkStep& step : run_->network.steps())
        if (step.block->displayName() == name)
            return step.id();
    std::ostringstream list;
    for (size_t i = 0; i < known.size(); ++i)
        list << (i ? ", " : "") << known[i];
    throw Error("no block named '" + name + "' in the network; its blocks are " + list.str());
}

ViewedSample BlockViewer::sample(int64_t index) const
{
    run_->checkSampleIndex(index);
    ViewedSample viewed;
    viewed.index = index;
    viewed.sample = previewSample(run_->test, index);
    if (classification()) {
        torch::NoGradGuard noGrad;
        const torch::Tensor probabilities
            = torch::softmax(run_->model->forward(run_->input(index)).to(torch::kFloat), 1);
        const auto [confidence, predicted] = probabilities.max(1);
        viewed.predicted = predicted[0].item<int64_t>();
        viewed.confidence = confidence[0].item<double>();
    }
    return viewed;
}

BlockOutput BlockViewer::blockOutput(const std::string& name, int64_t sampleIndex) const
{
    const std::string id = resolveBlock(name);
    torch::NoGradGuard noGrad;
    const torch::Tensor output = blockOutputOf(*run_->model, run_->input(sampleIndex), id)
                                     .detach()
                                     .to(torch::kCPU, torch::kFloat)
                                     .contiguous();
    BlockOutput result;
    result.blockId = id;
    const RunBlockName names = run_->names.find(id);
    result.label = names.label;
    result.type = names.type;
    ND_CHECK(output.dim() >= 1 && output.size(0) == 1, "block ", result.label, " gave a ", output.sizes(),
        " output, not one sample's");
    result.shape.assign(output.sizes().begin() + 1, output.sizes().end());
    result.values.assign(output.data_ptr<float>(), output.data_ptr<float>() + output.numel());
    return result;
}

} // namespace netdraft::engine
