#pragma once
// Internal to engine/io: brings the JSON of an older project file up to the current format version.

#include "engine/core/Problem.h"
#include "engine/io/JsonPath.h"

#include <vector>

namespace netdraft::engine {

/// Runs the migrations fromVersion → fromVersion+1 → … → kProjectFormatVersion on `root` in place.
/// `fromVersion` must be in [0, kProjectFormatVersion]. Old shapes that cannot be migrated are left
/// for validation to report, or reported here when only the old layout can explain them.
void migrateProject(Json& root, int fromVersion, std::vector<Problem>& problems);

} // namespace netdraft::engine
