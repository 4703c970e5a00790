#pragma once
// Checks a block's parameters against its layer description.

#include "engine/core/ParamValue.h"
#include "engine/layers/LayerDescription.h"

#include <string>
#include <vector>

namespace netdraft::engine {

/// Returns the block's parameters in canonical form with missing ones at their defaults, and adds
/// one message per problem to `errors` ("kernel_size must be >= 1, got 0", "unknown parameter 'foo'").
/// A parameter with an invalid value falls back to its default in the result.
ParamMap checkParams(const ParamMap& params, const LayerDescription& description, std::vector<std::string>& errors);

} // namespace netdraft::engine
