#include "app/gui/LearningRateFinderLauncher.h"

#include "app/gui/ProjectSession.h"
#include "editor/GraphDocument.h"
#include "editor/commands/SetSetting.h"
#include "widgets/LearningRateFinderDialog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QUndoStack>

namespace netdraft::app {

widgets::LearningRateFinderDialog* showLearningRateFinder(QWidget* parent, ProjectSession& session)
{
    const QString directory
        = session.filePath().isEmpty() ? QDir::currentPath() : QFileInfo(session.filePath()).absolutePath();
    auto* dialog = new widgets::LearningRateFinderDialog(session.project(), directory, parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QPointer<ProjectSession> guard(&session);
    QObject::connect(dialog, &widgets::LearningRateFinderDialog::applyRequested, &session, [guard](double rate) {
        if (!guard)
            return;
        editor::GraphDocument& document = guard->document();
        // A macro is its own undo step: SetSetting would merge with a learning rate typed just before.
        document.undoStack()->beginMacro(
            QCoreApplication::translate("LearningRateFinder", "Apply learning rate %1").arg(rate));
        document.push(new editor::commands::SetSetting(
            document, editor::SettingSection::Training, "learning_rate", engine::ParamValue(rate)));
        document.undoStack()->endMacro();
    });
    dialog->resize(760, 560);
    dialog->show();
    dialog->start();
    return dialog;
}

} // namespace netdraft::app
