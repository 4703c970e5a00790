#include "engine/train/NonFiniteDiagnosis.h"

#include <cstdio>

namespace netdraft::engine {

namespace {

bool isFinite(const torch::Tensor& tensor)
{
    return !tensor.defined() || !tensor.is_floating_point() || torch::isfinite(tensor).all().item<bool>();
}

std::string nonFiniteKind(const torch::Tensor& tensor)
{
    return torch::isnan(tensor).any().item<bool>() ? "NaN" : "infinite";
}

/// The range of the finite values among `tensors`, and whether any value was not finite.
void describeRange(const std::vector<torch::Tensor>& tensors, NonFiniteFinding& finding)
{
    std::optional<double> low;
    std::optional<double> high;
    for (const torch::Tensor& tensor : tensors) {
        if (!tensor.defined() || tensor.numel() == 0)
            continue;
        torch::Tensor values = tensor.detach().to(torch::kDouble).flatten();
        const torch::Tensor finite = torch::isfinite(values);
        if (!finite.all().item<bool>()) {
            finding.inputFinite = false;
            values = values.masked_select(finite);
        }
        if (values.numel() == 0)
            continue;
        const double lowHere = values.min().item<double>();
        const double highHere = values.max().item<double>();
        low = low ? std::min(*low, lowHere) : lowHere;
        high = high ? std::max(*high, highHere) : highHere;
    }
    finding.inputMin = low;
    finding.inputMax = high;
}

/// Records each step's inputs (aliased, so that the gradient through this block alone can be asked for)
/// and outputs, and the first step whose output is not finite.
class CheckingWatcher : public StepWatcher {
public:
    struct Seen {
        std::string blockId;
        std::vector<torch::Tensor> inputs;
        std::vector<torch::Tensor> outputs;
    };

    void beforeStep(size_t, const std::string&, std::vector<torch::Tensor>& inputs) override
    {
        for (torch::Tensor& input : inputs)
            if (input.defined() && input.requires_grad())
                input = input.view_as(input);
    }

    void afterStep(size_t, const std::string& blockId, const std::vector<torch::Tensor>& inputs,
        const std::vector<torch::Tensor>& outputs) override
    {
        seen.push_back({ blockId, inputs, outputs });
        if (firstNonFinite)
            return;
        for (const torch::Tensor& output : outputs)
            if (!isFinite(output)) {
                firstNonFinite = seen.size() - 1;
                firstKind = nonFiniteKind(output);
                return;
            }
    }

    std::vector<Seen> seen;
    std::optional<size_t> firstNonFinite;
    std::string firstKind;
};

/// Detaches the watcher however the diagnosis ends.
class WatcherGuard {
public:
    WatcherGuard(GraphModelImpl& model, StepWatcher& watcher)
        : model_(model)
    {
        model_.setStepWatcher(&watcher);
    }
    ~WatcherGuard() { model_.setStepWatcher(nullptr); }
    WatcherGuard(const WatcherGuard&) = delete;
    WatcherGuard& operator=(const WatcherGuard&) = delete;

private:
    GraphModelImpl& model_;
};

NonFiniteFinding findingFor(const CheckingWatcher::Seen& step, const RunBlockNames& names, std::string phase,
    std::string value, const torch::Tensor& batch)
{
    NonFiniteFinding finding;
    const RunBlockName name = names.find(step.blockId);
    finding.blockId = step.blockId;
    finding.blockLabel = name.label;
    finding.canvasBlockId = name.canvasId;
    finding.phase = std::move(phase);
    finding.value = std::move(value);
    const bool isInputBlock = step.inputs.size() == 1 && step.inputs.front().is_same(batch);
    if (!isInputBlock) // the Input block's input is the batch: the message says the data is to blame
        describeRange(step.inputs, finding);
    return finding;
}

std::string shortNumber(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", value);
    return text;
}

} // namespace

std::string NonFiniteFinding::message() const
{
    std::string range;
    if (inputMin && inputMax)
        range = shortNumber(*inputMin) + " … " + shortNumber(*inputMax);
    if (blockId.empty())
        return "the loss (" + blockLabel + ")"
            + (phase == "forward" ? " became " + value + " although every block's output was finite"
                                  : "'s gradient became " + value + " in backward")
            + (range.empty() ? std::string() : "; the network's output ranged " + range);
    return "block " + blockLabel + ": " + detail();
}

std::string NonFiniteFinding::detail() const
{
    if (blockId.empty())
        return message();
    std::string text
        = phase == "forward" ? "output became " + value + " in forward" : "gradient became " + value + " in backward";
    if (!inputMin || !inputMax) // the Input block: the batch itself
        return text + " (the batch's data holds " + value + " values)";
    text += "; its input ranged " + shortNumber(*inputMin) + " … " + shortNumber(*inputMax);
    if (!inputFinite)
        text += " (besides non-finite values)";
    return text;
}

std::optional<NonFiniteFinding> diagnoseNonFinite(GraphModelImpl& model, const LossFunction& loss,
    const torch::Tensor& inputs, const torch::Tensor& targets, const DiagnosisOptions& options)
{
    // Batch normalisation would count the batch into its running statistics again: keep them as they were.
    std::vector<torch::Tensor> buffers = model.buffers();
    std::vector<torch::Tensor> savedBuffers;
    for (const torch::Tensor& buffer : buffers)
        savedBuffers.push_back(buffer.detach().clone());
    struct RestoreBuffers {
        std::vector<torch::Tensor>& buffers;
        std::vector<torch::Tensor>& saved;
        ~RestoreBuffers()
        {
            torch::NoGradGuard noGrad;
            for (size_t i = 0; i < buffers.size(); ++i)
                buffers[i].copy_(saved[i]);
        }
    } restore { buffers, savedBuffers };

    CheckingWatcher watcher;
    torch::Tensor output;
    torch::Tensor batch = inputs.to(options.device);
    {
        WatcherGuard watching(model, watcher);
        if (options.channelsLast && batch.dim() == 4)
            batch = batch.contiguous(torch::MemoryFormat::ChannelsLast);
        AutocastGuard autocast(options.device, options.precision);
        output = model.forward(batch);
    }
    if (watcher.firstNonFinite)
        return findingFor(watcher.seen[*watcher.firstNonFinite], options.names, "forward", watcher.firstKind, batch);

    const torch::Tensor lossValue = loss(output.to(torch::kFloat), targets.to(options.device));
    if (!isFinite(lossValue)) {
        NonFiniteFinding finding;
        finding.blockLabel = loss.name();
        finding.phase = "forward";
        finding.value = nonFiniteKind(lossValue);
        describeRange({ output }, finding);
        return finding;
    }
    if (!lossValue.requires_grad())
        return std::nullopt;

    // Ask for the gradient of every block's output, of the inputs as each block alone saw them (the
    // aliases) and of its parameters, in one backward pass that leaves the parameters' .grad alone.
    struct Wanted {
        size_t step;
        bool isOutput;
    };
    std::vector<torch::Tensor> tensors;
    std::vector<Wanted> wanted;
    for (size_t i = 0; i < watcher.seen.size(); ++i) {
        const CheckingWatcher::Seen& step = watcher.seen[i];
        for (const torch::Tensor& tensor : step.outputs)
            if (tensor.defined() && tensor.requires_grad()) {
                tensors.push_back(tensor);
                wanted.push_back({ i, true });
            }
        std::vector<torch::Tensor> ownInputs = step.inputs;
        if (auto module = model.blockModule(step.blockId))
            for (const torch::Tensor& parameter : module->parameters())
                ownInputs.push_back(parameter);
        for (const torch::Tensor& tensor : ownInputs)
            if (tensor.defined() && tensor.requires_grad()) {
                tensors.push_back(tensor);
                wanted.push_back({ i, false });
            }
    }
    if (tensors.empty())
        return std::nullopt;
    const std::vector<torch::Tensor> gradients = torch::autograd::grad({ lossValue }, tensors, {},
        /*retain_graph=*/false, /*create_graph=*/false, /*allow_unused=*/true);
    std::vector<bool> outputFinite(watcher.seen.size(), true);
    std::vector<std::string> passedOn(watcher.seen.size()); // the kind of non-finite gradient it passed on
    for (size_t k = 0; k < tensors.size(); ++k) {
        if (isFinite(gradients[k]))
            continue;
        if (wanted[k].isOutput)
            outputFinite[wanted[k].step] = false;
        else if (passedOn[wanted[k].step].empty())
            passedOn[wanted[k].step] = nonFiniteKind(gradients[k]);
    }
    // Backward reaches the blocks in reverse execution order: the last culprit is the first it met.
    for (size_t i = watcher.seen.size(); i-- > 0;)
        if (outputFinite[i] && !passedOn[i].empty())
            return findingFor(watcher.seen[i], options.names, "backward", passedOn[i], batch);
    if (!outputFinite.empty() && !outputFinite.back()) {
        NonFiniteFinding finding; // the loss's own gradient
        finding.blockLabel = loss.name();
        finding.phase = "backward";
        finding.value = "NaN";
        describeRange({ output }, finding);
        return finding;
    }
    return std::nullopt;
}

} // namespace netdraft::engine
