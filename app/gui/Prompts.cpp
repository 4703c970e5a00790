#include "app/gui/Prompts.h"

#include <QFileDialog>
#include <QInputDialog>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>

namespace netdraft::app {

namespace {
const QString kFilter = QObject::tr("Netdraft projects (*.netdraft)");
}

Prompts::SaveChoice Prompts::askSaveChanges(QWidget* parent, const QString& projectName)
{
    const auto answer = QMessageBox::warning(parent, QObject::tr("Unsaved changes"),
        QObject::tr("%1 has changes that are not saved. Save them?").arg(projectName),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    return answer == QMessageBox::Save   ? SaveChoice::Save
        : answer == QMessageBox::Discard ? SaveChoice::Discard
                                         : SaveChoice::Cancel;
}

bool Prompts::askRestoreRecovery(QWidget* parent, const QString& projectName, const QDateTime& savedAt)
{
    return QMessageBox::question(parent, QObject::tr("Recover unsaved changes"),
               QObject::tr("Netdraft kept unsaved changes to %1 from %2. Restore them?")
                   .arg(projectName, QLocale().toString(savedAt, QLocale::ShortFormat)),
               QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes)
        == QMessageBox::Yes;
}

void Prompts::showLoadErrors(QWidget* parent, const QString& path, const QString& details)
{
    QMessageBox box(QMessageBox::Critical, QObject::tr("Cannot open project"),
        QObject::tr("%1 cannot be opened. Nothing was loaded.").arg(path), QMessageBox::Ok, parent);
    box.setDetailedText(details);
    box.setInformativeText(details.section('\n', 0, 9)); // the first problems in view, all of them below
    box.exec();
}

void Prompts::showError(QWidget* parent, const QString& title, const QString& message)
{
    QMessageBox::critical(parent, title, message);
}

QString Prompts::askSavePath(QWidget* parent, const QString& suggestion)
{
    QString path = QFileDialog::getSaveFileName(parent, QObject::tr("Save project"), suggestion, kFilter);
    if (!path.isEmpty() && !path.endsWith(QLatin1String(".netdraft")))
        path += QLatin1String(".netdraft");
    return path;
}

QString Prompts::askOpenPath(QWidget* parent, const QString& folder)
{
    return QFileDialog::getOpenFileName(parent, QObject::tr("Open project"), folder, kFilter);
}

QString Prompts::askExportPath(QWidget* parent, const QString& title, const QString& suggestion, const QString& filter)
{
    if (filter.isEmpty())
        return QFileDialog::getExistingDirectory(parent, title, suggestion);
    return QFileDialog::getSaveFileName(parent, title, suggestion, filter);
}

Prompts::UntrainedExportChoice Prompts::askExportUntrained(
    QWidget* parent, const QString& title, const QStringList& runsWithWeights)
{
    using Kind = UntrainedExportChoice::Kind;
    QMessageBox box(QMessageBox::Question, title,
        QObject::tr("No run of this design has trained weights yet. Exporting now writes the initial "
                    "(untrained) weights."),
        QMessageBox::Cancel, parent);
    box.setInformativeText(runsWithWeights.isEmpty()
            ? QObject::tr("Train the design first, or export the initial weights on purpose.")
            : QObject::tr("Train the design first, export a past run (with the design it trained), or export the "
                          "initial weights on purpose."));
    QPushButton* train = box.addButton(QObject::tr("Train First"), QMessageBox::AcceptRole);
    QPushButton* useRun
        = runsWithWeights.isEmpty() ? nullptr : box.addButton(QObject::tr("Choose a Run…"), QMessageBox::ActionRole);
    QPushButton* initial = box.addButton(QObject::tr("Export Initial Weights"), QMessageBox::DestructiveRole);
    box.setDefaultButton(train);
    box.exec();
    if (box.clickedButton() == train)
        return { Kind::Train };
    if (box.clickedButton() == initial)
        return { Kind::InitialWeights };
    if (useRun && box.clickedButton() == useRun) {
        bool chosen = false;
        const QString item = QInputDialog::getItem(
            parent, title, QObject::tr("Export the weights of:"), runsWithWeights, 0, false, &chosen);
        if (chosen)
            return { Kind::UseRun, int(runsWithWeights.indexOf(item)) };
    }
    return { Kind::Cancel };
}

void Prompts::showInformation(QWidget* parent, const QString& title, const QString& message)
{
    QMessageBox::information(parent, title, message);
}

} // namespace netdraft::app
