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
inline constexpr const char* kArithmetic = "Arithmetic";
inline constexpr const char* kAttention = "Attention";
} // namespace category

/// An input port present only while a Bool parameter of the block has a given value.
struct ConditionalInput {
    std::string port;
    std::string param; ///< a Bool parameter of the layer
    bool whenOn = true; ///< present while the parameter is true (false: while it is false)
};

/// The data description of a layer type, read by the palette, inspector, loader, docs and exporters.
struct LayerDescription {
    std::string type;        ///< stable type name stored in project files: "Conv2d"
    std::string displayName; ///< "2-D Convolution"
    std::string category;    ///< one of netdraft::engine::category
    std::string help;        ///< one paragraph for tooltips and the layer reference
    std::vector<ParamSpec> params;
    /// Input port names (before any `conditionalInputs`); empty for source blocks (Input). Ignored when
    /// `variadicInputs`.
    std::vector<std::string> inputs{"in"};
    /// Merge blocks: the ports are in1..inN with N from the integer parameter "num_inputs".
    bool variadicInputs = false;
    /// Output port names; empty for sinks (Output). Ignored when `outputCountParam` is set.
    std::vector<std::string> outputs{"out"};
    /// Blocks with several outputs (Split, Chunk): the ports are out1..outN with N from this
    /// parameter, an integer (its value) or an integer list (its length). Empty: `outputs`.
    std::string outputCountParam;
    /// Input ports that only some parameter values have, added after `inputs` in this order, each while
    /// its Bool parameter has the value it names (MultiheadAttention: key and value while self_attention
    /// is off, mask while mask_input is on). Last in the struct, so that positional initialisers of the
    /// fields above keep their meaning.
    std::vector<ConditionalInput> conditionalInputs;

    const ParamSpec* findParam(const std::string& name) const;
    /// The input ports of a block with these parameters.
    std::vector<std::string> inputPorts(const ParamMap& params) const;
    /// The output ports of a block with these parameters.
    std::vector<std::string> outputPorts(const ParamMap& params) const;
    /// Whether the ports are numbered out1..outN (the block gives one tensor per port).
    bool variadicOutputs() const { return !outputCountParam.empty(); }
    /// Every parameter at its default.
    ParamMap defaultParams() const;
};

} // namespace netdraft::engine
