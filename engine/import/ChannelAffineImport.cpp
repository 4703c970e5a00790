#include "engine/import/ChannelAffineImport.h"

#include <algorithm>

namespace netdraft::engine {

namespace {

bool flag(const ImportedOp& op, const char* name)
{
    auto found = op.params.find(name);
    return found == op.params.end() || std::get<bool>(found->second); // ChannelAffine learns by default
}

double real(const ImportedOp& op, const char* name, double otherwise)
{
    auto found = op.params.find(name);
    return found == op.params.end() ? otherwise : std::get<double>(found->second);
}

torch::Tensor weight(const ImportedOp& op, const char* name)
{
    for (const auto& [key, tensor] : op.weights)
        if (key == name)
            return tensor;
    return {};
}

/// What a ChannelAffine or Scale op computes; nullopt for other ops.
std::optional<ChannelAffineStep> stepOf(const ImportedOp& op)
{
    if (op.layerType == "Scale")
        return ChannelAffineStep { torch::tensor({ real(op, "scale", 1.0) }, torch::kDouble),
            torch::tensor({ real(op, "bias", 0.0) }, torch::kDouble), false, false };
    if (op.layerType != "ChannelAffine" || op.inputs.size() != 1)
        return std::nullopt;
    return ChannelAffineStep { weight(op, "scale").to(torch::kDouble), weight(op, "shift").to(torch::kDouble),
        flag(op, "learn_scale"), flag(op, "learn_shift") };
}

} // namespace

std::optional<torch::Tensor> perChannelValues(const torch::Tensor& constant, int dataRank)
{
    const int64_t dims = constant.dim();
    if (constant.numel() <= 1 || dataRank < 2 || dims > dataRank)
        return std::nullopt;
    for (int64_t i = 0; i < dims; ++i) { // dimension i of the constant lines up with dimension i + offset of the data
        const int64_t dataDim = i + dataRank - dims;
        if (dataDim != 1 && constant.size(i) != 1)
            return std::nullopt;
    }
    return constant.reshape({ constant.numel() }).to(torch::kFloat).clone();
}

void setChannelAffine(ImportedOp& op, const ChannelAffineStep& step)
{
    const int64_t channels = std::max(step.scale.numel(), step.shift.numel());
    op.layerType = "ChannelAffine";
    op.params["learn_scale"] = step.learnScale;
    op.params["learn_shift"] = step.learnShift;
    auto values = [channels](const torch::Tensor& tensor) {
        return tensor.reshape({ -1 }).expand({ channels }).to(torch::kFloat).contiguous().clone();
    };
    op.weights = { { "scale", values(step.scale) }, { "shift", values(step.shift) } };
}

void joinChannelAffines(ImportedNetwork& network)
{
    std::vector<ImportedOp>& ops = network.ops;
    std::vector<int> readers(ops.size(), 0);
    for (const ImportedOp& op : ops)
        for (int input : op.inputs)
            if (input >= 0)
                ++readers[static_cast<size_t>(input)];
    if (network.outputOp >= 0)
        ++readers[static_cast<size_t>(network.outputOp)];
    std::vector<bool> joined(ops.size(), false);
    for (size_t index = 0; index < ops.size(); ++index) {
        ImportedOp& second = ops[index];
        if (second.inputs.size() != 1 || second.inputs.front() < 0)
            continue;
        const size_t firstIndex = static_cast<size_t>(second.inputs.front());
        ImportedOp& first = ops[firstIndex];
        const std::optional<ChannelAffineStep> a = stepOf(first);
        const std::optional<ChannelAffineStep> b = stepOf(second);
        if (!a || !b || readers[firstIndex] != 1
            || (first.layerType != "ChannelAffine" && second.layerType != "ChannelAffine"))
            continue;
        if (a->scale.numel() > 1 && b->scale.numel() > 1 && a->scale.numel() != b->scale.numel())
            continue; // different channels: the block reports it
        // (x·a + b)·c + d = x·(a·c) + (b·c + d)
        setChannelAffine(second,
            { a->scale * b->scale, a->shift * b->scale + b->shift, a->learnScale || b->learnScale,
                a->learnShift || b->learnShift });
        second.inputs = first.inputs;
        if (second.modulePath.empty())
            second.modulePath = first.modulePath;
        joined[firstIndex] = true;
    }
    std::vector<int> renumbered(ops.size(), -1);
    std::vector<ImportedOp> kept;
    for (size_t index = 0; index < ops.size(); ++index)
        if (!joined[index]) {
            renumbered[index] = static_cast<int>(kept.size());
            kept.push_back(std::move(ops[index]));
        }
    for (ImportedOp& op : kept)
        for (int& input : op.inputs)
            input = input < 0 ? input : renumbered[static_cast<size_t>(input)];
    if (network.outputOp >= 0)
        network.outputOp = renumbered[static_cast<size_t>(network.outputOp)];
    ops = std::move(kept);
}

} // namespace netdraft::engine
