#pragma once
// A finished experiment trial as a run of the project's run history: its curves and figures read from
// the metrics.jsonl `netdraft-cli train` wrote, its design and settings from its project.netdraft, and
// its checkpoint, weights and project copied into the run's folder (so it shows, compares and exports
// like a run trained in the app).

#include "engine/experiment/TrialResult.h"
#include "widgets/RunRecord.h"

#include <QString>

namespace netdraft::app {

/// The run record of the trial whose files are in `trialFolder`, numbered `number`; its message says
/// which experiment trial it was.
widgets::RunRecord trialRunRecord(const QString& trialFolder, const engine::TrialRow& row, int number);

/// Copies the trial's checkpoint.pt, weights.pt and project.netdraft (the run's snapshot) into
/// `runFolder`; false with `error` when one that exists cannot be copied.
bool copyTrialFiles(const QString& trialFolder, const QString& runFolder, QString* error);

} // namespace netdraft::app
