#pragma once
// What a layer type sees while inferring its output shape, and where it reports errors.

#include "engine/core/Shape.h"
#include "engine/layers/ParamReader.h"

#include <optional>
#include <string>
#include <vector>

namespace netdraft::engine {

/// Input shapes (in port order) and parameters of one block; collects the output shape, the
/// values inferred from the input (in_channels, ...) and every error found.
class InferenceContext {
public:
    InferenceContext(const LayerDescription& description, const ParamMap& params, std::vector<Shape> inputs);

    const ParamReader& params() const { return reader_; }
    const std::vector<Shape>& inputs() const { return inputs_; }
    const Shape& input(size_t index = 0) const { return inputs_.at(index); }

    void setOutput(Shape shape) { output_ = std::move(shape); }
    /// Layers with several output ports (LayerDescription::outputCountParam): one shape per port,
    /// in port order; output() is the first.
    void setOutputs(std::vector<Shape> shapes)
    {
        output_ = shapes.empty() ? std::optional<Shape>() : std::optional<Shape>(shapes.front());
        outputs_ = std::move(shapes);
    }
    /// Records an error; shape inference goes on so that every problem of the block is reported.
    void error(std::string message) { errors_.push_back(std::move(message)); }
    /// Records an error that leaves the output shape known: the block cannot run (an unsupported
    /// imported op), but the blocks after it still get their shapes and can be edited. It is listed
    /// with the block's errors, so validation, the canvas and training refuse the design.
    void cannotRun(std::string message) { runErrors_.push_back(std::move(message)); }
    void setInferred(const std::string& param, ParamValue value) { inferred_[param] = std::move(value); }

    /// Checks the rank of input `index`: records "expects a N×C×H×W input (rank 4), got N×10" and returns false.
    bool requireRank(size_t index, int64_t rank, const std::string& layout);
    /// For in_channels / in_features: the value seen on the input. When the parameter is pinned
    /// and disagrees, records an error that names both values (and `hint`, when given).
    int64_t inferFromInput(const std::string& param, int64_t actual, const std::string& what,
                           const std::string& hint = {});

    const std::optional<Shape>& output() const { return output_; }
    /// What setOutputs() gave; empty for layers with one output.
    const std::vector<Shape>& outputs() const { return outputs_; }
    const std::vector<std::string>& errors() const { return errors_; }
    const std::vector<std::string>& runErrors() const { return runErrors_; }
    const ParamMap& inferred() const { return inferred_; }

private:
    const LayerDescription& description_;
    ParamReader reader_;
    std::vector<Shape> inputs_;
    std::optional<Shape> output_;
    std::vector<Shape> outputs_;
    std::vector<std::string> errors_;
    std::vector<std::string> runErrors_;
    ParamMap inferred_;
};

} // namespace netdraft::engine
