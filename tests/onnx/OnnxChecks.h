#pragma once
// Checks of the ONNX export that need no runtime: refusals and their messages, and what the model's
// header says (opset, IR version, names, dynamic batch, metadata_props, initializer names).

namespace netdraft::tests {

/// Runs every check, printing each result; returns 0 when all pass.
int runOnnxChecks();

} // namespace netdraft::tests
