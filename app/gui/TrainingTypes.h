#pragma once
// The trainer's plain report values as Qt meta types, so that they travel in queued signals from the
// training thread to the window.

#include "engine/train/TrainingSession.h"

#include <QMetaType>

Q_DECLARE_METATYPE(netdraft::engine::SessionBatch)
Q_DECLARE_METATYPE(netdraft::engine::SessionEpoch)
Q_DECLARE_METATYPE(netdraft::engine::SessionOutcome)
Q_DECLARE_METATYPE(netdraft::engine::StatisticsRecord)

namespace netdraft::app {

/// Registers the types above for queued connections; call once before the first run.
void registerTrainingTypes();

} // namespace netdraft::app
