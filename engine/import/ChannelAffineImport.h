#pragma once
// Per-channel constants of imported graphs as ChannelAffine blocks, shared by the ONNX and TorchScript
// readers: x · c, x + c, x − c, c − x and x / c with a constant c of one value per channel (C×1×…×1,
// 1×C×1×…, or C on N×C), and the joining of a chain of them (and of Scale blocks beside them) into one
// block: a folded normalisation (x − mean) / std, or x · scale + shift, is one ChannelAffine.

#include "engine/import/ImportedGraph.h"

#include <torch/torch.h>

#include <optional>

namespace netdraft::engine {

/// The C values of `constant` when it acts per channel on data of `dataRank` dimensions (with the
/// batch): its sizes, aligned to the data's from the right, are 1 except at dimension 1. nullopt for one
/// value (a Scale's), any other shape, or an unknown rank (0).
std::optional<torch::Tensor> perChannelValues(const torch::Tensor& constant, int dataRank);

/// One step of per-channel arithmetic on the data: x · scale + shift, each a tensor of C values or of
/// one value (broadcast), and whether the original model learns that part.
struct ChannelAffineStep {
    torch::Tensor scale;
    torch::Tensor shift;
    bool learnScale = false;
    bool learnShift = false;
};

/// `op` becomes a ChannelAffine block computing `step` (scale and shift as float tensors of C values).
void setChannelAffine(ImportedOp& op, const ChannelAffineStep& step);

/// Joins each ChannelAffine or Scale op into the ChannelAffine or Scale op reading it, when it is that
/// op's only reader and one of the two is a ChannelAffine with the same channels: (x·a + b)·c + d
/// = x·(a·c) + (b·c + d). A part is learned when either op learned it. Inputs are renumbered.
void joinChannelAffines(ImportedNetwork& network);

} // namespace netdraft::engine
