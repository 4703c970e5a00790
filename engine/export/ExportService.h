#pragma once
// One entry point for every export format (ExportFormat.h lists them), free of LibTorch headers so
// that the desktop app can call it; `netdraft-cli export` uses it too.

#include "engine/project/Project.h"

#include <optional>
#include <string>
#include <vector>

namespace netdraft::engine {

/// One export of a project's network.
struct ExportRequest {
    Project project;
    /// Folder that relative dataset paths are resolved against (the project file's folder).
    std::string projectDirectory;
    /// Trained weights (state dict, Netdraft weights.pt or checkpoint.pt); empty: the project's
    /// initialWeights when it names some, else the seeded initial weights.
    std::string weightsPath;
    /// Where weightsPath comes from, for the user ("run 3 (2 epochs, …)"); empty: the file's path says it.
    std::string weightsOrigin;
    /// A registered format's name (exportFormatNames()): "torchscript", "state_dict", "python", …
    std::string format = "torchscript";
    /// A file, or a folder (created when missing) for formats that write folders.
    std::string outputPath;
    /// TorchScript and ONNX: apply input scaling and mean/std inside the model, so that it takes raw values.
    bool foldNormalization = false;
};

/// What an export did, for the user: the lines say which weights went out, what was written and
/// what could not be (a dataset that did not load leaves out class names and normalisation).
struct ExportReport {
    std::vector<std::string> notes;
    std::vector<std::string> warnings;
    /// The files written, in order.
    std::vector<std::string> files;
};

/// The one line that says which weights exportProject(request) writes, as File ▸ Export and `netdraft-cli
/// export` say it before exporting (and the first of ExportReport::notes): "Exports the weights of run 3
/// (…)", "Exports the trained weights in PATH", "Exports the imported weights (resnet18.weights.pt, not
/// trained in Netdraft yet)" (the project's initialWeights; "starting weights" when the project was not
/// imported) or "Exports the seeded initial weights (untrained)".
std::string exportWeightsSource(const ExportRequest& request);

/// Builds the model with the project's seed, imports the weights when given, and writes the export.
/// Throws Error with a message naming what failed (weights that do not fit the graph list every
/// difference; an existing output file is left intact on failure).
ExportReport exportProject(const ExportRequest& request);

} // namespace netdraft::engine
