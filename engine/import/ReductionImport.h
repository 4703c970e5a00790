#pragma once
// Which block a reduction (mean, sum, max over some dimensions) imports as: one decision for the
// TorchScript and the ONNX import, so that x.mean([2, 3]) is the same block whichever file it came in.

#include "engine/core/ParamValue.h"

#include <optional>
#include <string>

namespace netdraft::engine {

/// What a reduction without a block is told ("… has no block"), for either import's message.
inline constexpr const char* kReductionOverTheBatch = "a reduction over the batch dimension has no block";

/// The layer type of reducing `dims` of a value of `rank` dimensions (the batch is 0; negative dims count
/// from the end) with `kind` "mean", "sum" or "max": the mean over height and width of N×C×H×W that
/// drops them (torchvision's x.mean([2, 3])) is a GlobalAvgPool; the others are Mean, Sum or Max, with
/// the dims and keepdim as given. std::nullopt when no block does it: no dims, or the batch among them.
std::optional<std::string> reductionLayerType(const std::string& kind, int rank, const IntList& dims, bool keepdim);

} // namespace netdraft::engine
