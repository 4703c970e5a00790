#pragma once
// When training's loss or gradients stop being finite, runs the failing batch again with checks after
// each block and names the first block whose output (forward) or gradient (backward) is NaN or inf.

#include "engine/model/GraphModel.h"
#include "engine/train/LossFunction.h"
#include "engine/train/MixedPrecision.h"
#include "engine/train/NonFiniteFinding.h"
#include "engine/train/RunBlockNames.h"

#include <torch/torch.h>

#include <optional>

namespace netdraft::engine {

/// How the failing batch ran, so that the diagnosis runs it the same way.
struct DiagnosisOptions {
    torch::Device device = torch::kCPU;
    Precision precision = Precision::Float32;
    bool channelsLast = false;
    RunBlockNames names;
};

/// Runs `inputs` through `model` with the model's current weights and mode. Forward: the first step (in
/// execution order) whose output holds NaN or inf. When every output is finite but the loss is not, the
/// loss is named. When the loss is finite too, backward: the block whose gradient towards its inputs or
/// its parameters is not finite although the gradient reaching its output is, the one nearest the
/// output (the first that backward reaches). Leaves the parameters' gradients as they were. Empty when
/// every value is finite (a failure that did not repeat, e.g. through dropout's draws).
std::optional<NonFiniteFinding> diagnoseNonFinite(GraphModelImpl& model, const LossFunction& loss,
    const torch::Tensor& inputs, const torch::Tensor& targets, const DiagnosisOptions& options);

} // namespace netdraft::engine
