#pragma once
// The app's imports folder (ModelImportRunner::importsFolder()): an untitled imported project's starting
// weights wait there, one folder per import ("resnet18-20261204-134501-123"), until a save copies them
// beside the project. A folder that nothing names any more (saved elsewhere, replaced by another import,
// discarded, an import refused or failed after writing) is removed; a file that the open project, a
// recovery file or a recent project names is kept, and so is whatever the import did not write.

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace netdraft::app::importsFolder {

/// The absolute weights files that the project files at `projectPaths` name (Project::initialWeights,
/// resolved against each file's folder); files that do not read are skipped.
QStringList weightsNamedBy(const QStringList& projectPaths);

/// The recovery files of unsaved projects (ProjectSession::recoveryPathFor's folder).
QStringList recoveryFiles();

/// Removes import folder `folder` (under `root`) unless a file of `inUse` (absolute) or one that a recovery
/// file names lies in it: only the files an import writes there (".netdraft", ".weights.pt" and an atomic
/// save's leftover ".…saving-…"), then the folder when empty. Returns true when the folder is gone.
bool removeIfUnused(const QString& root, const QString& folder, const QStringList& inUse);

/// Removes the folders under `root` made by imports before `before` that nothing in `inUse` or the recovery
/// files names (imports of sessions that ended without cleaning up: a crash, another window's quit).
/// Returns how many were removed.
int removeStale(const QString& root, const QDateTime& before, const QStringList& inUse);

} // namespace netdraft::app::importsFolder
