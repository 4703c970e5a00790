#pragma once
// How much state an optimizer keeps per trainable parameter, asked of the optimizer itself.

#include <cstdint>

namespace netdraft::engine {

struct TrainingSettings;

/// Values of state the optimizer of `settings` keeps per parameter value (SGD with momentum 1,
/// without 0; Adam and AdamW 2; RMSprop 1 plus 1 with momentum; Adagrad 1). Measured, not
/// tabulated: the registered optimizer takes one step on a small tensor and its saved state is
/// counted, so a newly registered optimizer needs nothing here. Throws Error for an unknown name.
int64_t optimizerStateValues(const TrainingSettings& settings);

} // namespace netdraft::engine
