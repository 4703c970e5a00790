#pragma once
// What a layer type says about itself: names, category, help, parameters and ports.

#include "engine/layers/ParamSpec.h"

#include <string>
#include <vector>

namespace netdraft::engine {

/// Categories group the palette and pick the block colour.
namespace category {
inline constexpr const char* kInputOutput = "Input/Output";
inline constexpr const char* kConvolution = "Convolution";
inline constexpr const char* kPooling = "Pooling";
inline constexpr const char* kLinear = "Linear";
inline constexpr const char* kNormalization = "Normalization";
inline constexpr const char* kActivation = "Activation";
inline constexpr const char* kRegularization = "Regularization";
inline constexpr const char* kRecurrent = "Recurrent";
inline constexpr const char* kReshape = "Reshape";
inline constexpr const char* kMerge = "Merge";
inline constexpr const char* kEmbedding = "Embedding";
} // namespace category

/// The data description of a layer type, read by the palette, inspector, loader, docs and exporters.
struct LayerDescription {
    std::string type;        ///< stable type name stored in project files: "Conv2d"
    std::string displayName; ///< "2-D Convolution"
    std::string category;    ///< one of netdraft::engine::category
    std::string help;        ///< one paragraph for tooltips and the layer reference
    std::vector<ParamSpec> params;
    /// Fixed input port names; empty for source blocks (Input). Ignored when `variadicInputs`.
    std::vector<std::string> inputs{"in"};
    /// Merge blocks: the ports are in1..inN with N from the integer parameter "num_inputs".
    bool variadicInputs = false;
    /// Output port names; empty for sinks (Output).
    std::vector<std::string> outputs{"out"};

    const ParamSpec* findParam(const std::string& name) const;
    /// The input ports of a block with these parameters.
    std::vector<std::string> inputPorts(const ParamMap& params) const;
    /// Every parameter at its default.
    ParamMap defaultParams() const;
};

} // namespace netdraft::engine
