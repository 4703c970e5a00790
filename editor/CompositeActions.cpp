#include "editor/CompositeActions.h"

#include "editor/GraphDocument.h"
#include "editor/commands/DeleteComposite.h"
#include "editor/commands/RenameComposite.h"
#include "editor/commands/RenameCompositePort.h"
#include "engine/core/Error.h"

#include <QCoreApplication>
#include <QInputDialog>

namespace netdraft::editor {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("CompositeActions", text);
}

/// Pushes the command `make` builds (its constructor throws engine::Error when the change is
/// refused); a refusal's reason goes through `explain`.
template <typename Make, typename Explain> QString pushOrExplain(GraphDocument& document, Make make, Explain explain)
{
    try {
        document.push(make());
    } catch (const engine::Error& error) {
        return explain(QString::fromUtf8(error.what()));
    }
    return {};
}

/// The trimmed answer of a one-line question, or empty when cancelled, blank or `current`.
QString askName(QWidget* parent, const QString& title, const QString& question, const QString& current)
{
    bool ok = false;
    const QString answer
        = QInputDialog::getText(parent, title, question, QLineEdit::Normal, current, &ok).trimmed();
    return ok && answer != current ? answer : QString();
}

} // namespace

QString renameComposite(GraphDocument& document, const QString& from, const QString& to)
{
    return pushOrExplain(
        document,
        [&] { return new commands::RenameComposite(document, from.toStdString(), to.toStdString()); },
        [&](const QString& why) { return tr("Cannot rename %1: %2").arg(from, why); });
}

QString renameCompositePort(
    GraphDocument& document, const QString& composite, bool input, const QString& from, const QString& to)
{
    return pushOrExplain(
        document,
        [&] {
            return new commands::RenameCompositePort(
                document, composite.toStdString(), input, from.toStdString(), to.toStdString());
        },
        [&](const QString& why) { return tr("Cannot rename port %1 of %2: %3").arg(from, composite, why); });
}

QString deleteComposite(GraphDocument& document, const QString& name, bool ungroupInstances)
{
    return pushOrExplain(
        document,
        [&] { return new commands::DeleteComposite(document, name.toStdString(), ungroupInstances); },
        [&](const QString& why) { return tr("Cannot delete %1: %2").arg(name, why); });
}

QString askNewCompositeName(QWidget* parent, const QString& type)
{
    return askName(
        parent, tr("Rename Composite Block"), tr("New name for %1 (every instance follows):").arg(type), type);
}

QString askNewPortName(QWidget* parent, const QString& composite, bool input, const QString& port)
{
    return askName(parent, tr("Rename Port"),
        (input ? tr("New name for input port %1 of %2:") : tr("New name for output port %1 of %2:"))
            .arg(port, composite),
        port);
}

} // namespace netdraft::editor
