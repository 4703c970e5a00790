#pragma once
// A small TorchScript model written with LibTorch at test time (no Python): a Linear stem, two
// instances of one residual module class (Linear, ReLU, Add) and a Linear head, scripted, with random
// weights. The header is free of LibTorch so that Qt test files can include it.

#include "engine/project/Project.h"

#include <QString>

#include <cstdint>
#include <string>

namespace netdraft::tests {

/// What writeResidualMlp() wrote.
struct TorchScriptFixture {
    QString path;
    int64_t inputFeatures = 0;
    int64_t parameterCount = 0; ///< every parameter value of the module
    int residualBlocks = 0; ///< instances of the repeated module class
};

/// Writes the model to `path` with `torch::jit::Module::save`.
TorchScriptFixture writeResidualMlp(const QString& path);

/// Writes a model whose forward takes sin() of a Linear: an op Netdraft has no block for.
void writeUnsupportedOpModel(const QString& path);
/// Writes a model that starts with a 3×3 convolution over 2 channels (a TorchScript file does not say
/// the input's height and width): N×2×H×W → Conv2d(2, 4) → ReLU → global mean → Linear(4, 3).
void writeConvModel(const QString& path);

/// Writes `project` as Netdraft's TorchScript export (seeded weights) whose metadata carries `projectText`
/// as the project inside it (a broken one, for the error).
void writeNetdraftExport(const QString& path, const engine::Project& project, const std::string& projectText);

/// Every parameter of the module at `modulePath` has exactly one tensor in the state dict at
/// `weightsPath` with the same shape and bit-identical values, and the file holds no other parameter;
/// returns what does not hold (empty when all do).
QString compareParameters(const QString& modulePath, const QString& weightsPath);

/// The largest absolute difference between the TorchScript module's forward and the model Netdraft builds
/// from `project` with the weights at `weightsPath`, on the same random batch of 4 samples.
double largestOutputDifference(const QString& modulePath, const engine::Project& project, const QString& weightsPath);

} // namespace netdraft::tests
