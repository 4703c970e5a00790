#include "app/gui/Prompts.h"

#include "engine/import/ImportFormat.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace netdraft::app {

namespace {
const QString kFilter = QObject::tr("Netdraft projects (*.netdraft)");

/// The import formats' file-dialog filters, from their registry: "Models (*.pt *.pth)" first.
QStringList importFilters()
{
    QStringList filters;
    for (const std::string& filter : engine::importFileFilters())
        filters << QString::fromStdString(filter);
    return filters;
}

/// "*.pt *.pth" of every import format.
QString importPatterns()
{
    QStringList patterns;
    for (const engine::ImportFormatInfo& format : engine::importFormats())
        for (const std::string& suffix : format.suffixes)
            patterns << QLatin1Char('*') + QString::fromStdString(suffix);
    return patterns.join(QLatin1Char(' '));
}
} // namespace

Prompts::SaveChoice Prompts::askSaveChanges(QWidget* parent, const QString& projectName)
{
    const auto answer = QMessageBox::warning(parent, QObject::tr("Unsaved changes"),
        QObject::tr("%1 has changes that are not saved. Save them?").arg(projectName),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    return answer == QMessageBox::Save   ? SaveChoice::Save
        : answer == QMessageBox::Discard ? SaveChoice::Discard
                                         : SaveChoice::Cancel;
}

bool Prompts::askStopTrials(QWidget* parent, int running, int queued)
{
    QString question = running == 1 ? QObject::tr("1 trial is still running")
                                    : QObject::tr("%1 trials are still running").arg(running);
    if (queued > 0)
        question += QObject::tr(" (%1 more in the queue)").arg(queued);
    QMessageBox box(QMessageBox::Warning, QObject::tr("Experiment running"),
        question + QObject::tr(": stop them and quit?"), QMessageBox::Cancel, parent);
    QPushButton* stop = box.addButton(QObject::tr("Stop and Quit"), QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == stop;
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
    const QString patterns = importPatterns();
    if (patterns.isEmpty())
        return QFileDialog::getOpenFileName(parent, QObject::tr("Open project"), folder, kFilter);
    const QStringList filters
        = QStringList { QObject::tr("Projects and models (*.netdraft %1)").arg(patterns), kFilter }
        + importFilters().mid(1);
    return QFileDialog::getOpenFileName(parent, QObject::tr("Open project or model"), folder, filters.join(";;"));
}

QString Prompts::askImportPath(QWidget* parent, const QString& folder)
{
    return QFileDialog::getOpenFileName(parent, QObject::tr("Import model"), folder, importFilters().join(";;"));
}

namespace {

/// A question with the import's message as details, answered by `accept` (the default) or Cancel.
bool askAboutImport(QWidget* parent, const QString& title, const QString& question, const QString& details,
    const QString& accept)
{
    QMessageBox box(QMessageBox::Question, title, question, QMessageBox::Cancel, parent);
    box.setDetailedText(details);
    QPushButton* button = box.addButton(accept, QMessageBox::AcceptRole);
    box.setDefaultButton(button);
    box.exec();
    return box.clickedButton() == button;
}

} // namespace

bool Prompts::askKeepUnsupported(QWidget* parent, const QString& fileName, const QString& list)
{
    return askAboutImport(parent, QObject::tr("Operators without a block"),
        QObject::tr("Some operators of %1 have no Netdraft block. Import them as opaque blocks, which you replace "
                    "before training or export?")
            .arg(fileName),
        list, QObject::tr("Import with Opaque Blocks"));
}

bool Prompts::askImportNetworkAlone(QWidget* parent, const QString& fileName, const QString& message)
{
    return askAboutImport(parent, QObject::tr("The project inside cannot be opened"),
        QObject::tr("Netdraft exported %1 together with its project, but that project cannot be opened. Import the "
                    "network alone, as a new project made from the model's operators?")
            .arg(fileName),
        message, QObject::tr("Import the Network"));
}

std::optional<QString> Prompts::askImport(QWidget* parent, const QString& path, const QString& formatTitle,
    bool runsCode, const QString& shape, const QString& reason, const QString& exportedProject)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(QObject::tr("Import %1").arg(QFileInfo(path).fileName()));
    auto* layout = new QVBoxLayout(&dialog);
    layout->setSizeConstraint(QLayout::SetMinAndMaxSize); // as tall as the wrapped text, no gaps
    auto* what = new QLabel(exportedProject.isEmpty()
            ? QObject::tr("Open %1 (%2) as a new project with its weights as starting weights.")
                  .arg(QFileInfo(path).fileName().toHtmlEscaped(), formatTitle)
            : QObject::tr("Netdraft exported %1 (%2) from the project <b>%3</b>: it opens as that project, with the "
                          "file's weights as starting weights.")
                  .arg(QFileInfo(path).fileName().toHtmlEscaped(), formatTitle, exportedProject.toHtmlEscaped()),
        &dialog);
    what->setObjectName(QStringLiteral("importWhat"));
    what->setMinimumWidth(440); // wrapped text alone would make the dialog a narrow column
    what->setWordWrap(true);
    layout->addWidget(what);
    if (runsCode) {
        // The same words as netdraft-cli import and predict.
        auto* warning = new QLabel(QObject::tr("<b>%1 is code: only open files you trust.</b> Netdraft loads it "
                                               "with LibTorch and reads its graph; it never runs its forward.")
                                       .arg(formatTitle.section(QLatin1Char(' '), -1)),
            &dialog);
        warning->setObjectName(QStringLiteral("importCodeWarning"));
        warning->setMinimumWidth(440);
        warning->setWordWrap(true);
        layout->addWidget(warning);
    }
    if (!reason.isEmpty()) {
        auto* why = new QLabel(reason, &dialog);
        why->setWordWrap(true);
        why->setStyleSheet(QStringLiteral("color: #B91C1C;"));
        layout->addWidget(why);
    }
    auto* field = new QLineEdit(shape, &dialog);
    if (exportedProject.isEmpty()) { // the project's Input block says the shape of an export
        auto* form = new QFormLayout;
        field->setPlaceholderText(QObject::tr("e.g. 3,224,224 — empty: from the first layer (a Linear)"));
        form->addRow(QObject::tr("Input shape (one sample, no batch):"), field);
        layout->addLayout(form);
    } else {
        field->hide();
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, &dialog);
    buttons->addButton(exportedProject.isEmpty() ? QObject::tr("Import") : QObject::tr("Open"), QDialogButtonBox::AcceptRole);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return field->text().trimmed();
}

QString Prompts::askExportPath(QWidget* parent, const QString& title, const QString& suggestion, const QString& filter)
{
    if (filter.isEmpty())
        return QFileDialog::getExistingDirectory(parent, title, suggestion);
    return QFileDialog::getSaveFileName(parent, title, suggestion, filter);
}

Prompts::UntrainedExportChoice Prompts::askExportUntrained(QWidget* parent, const QString& title,
    const QString& weightsSource, bool startingWeights, const QStringList& runsWithWeights)
{
    using Kind = UntrainedExportChoice::Kind;
    QMessageBox box(QMessageBox::Question, title,
        QObject::tr("No run of this design has trained weights yet. %1.").arg(weightsSource), QMessageBox::Cancel,
        parent);
    const QString what = startingWeights ? QObject::tr("export them") : QObject::tr("export the initial weights");
    box.setInformativeText(runsWithWeights.isEmpty()
            ? QObject::tr("Train the design first, or %1 on purpose.").arg(what)
            : QObject::tr("Train the design first, export a past run (with the design it trained), or %1 on "
                          "purpose.")
                  .arg(what));
    QPushButton* train = box.addButton(QObject::tr("Train First"), QMessageBox::AcceptRole);
    QPushButton* useRun
        = runsWithWeights.isEmpty() ? nullptr : box.addButton(QObject::tr("Choose a Run…"), QMessageBox::ActionRole);
    QPushButton* initial = box.addButton(
        startingWeights ? QObject::tr("Export Imported Weights") : QObject::tr("Export Initial Weights"),
        QMessageBox::DestructiveRole);
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
