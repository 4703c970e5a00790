#include "app/gui/HelpDialogs.h"

#include "NetdraftVersion.h"
#include "engine/core/BuildInfo.h"
#include "engine/layers/LayerRegistry.h"

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QMessageBox>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <map>

namespace netdraft::app {

namespace {

QString escaped(const std::string& text)
{
    return QString::fromStdString(text).toHtmlEscaped();
}

QString describeDefault(const engine::ParamSpec& spec)
{
    return spec.inferred ? QObject::tr("inferred")
                         : QString::fromStdString(engine::formatParamValue(spec.defaultValue));
}

void showHtml(QWidget* parent, const QString& title, const QString& html, QSize size)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(title);
    auto* browser = new QTextBrowser(&dialog);
    browser->setHtml(html);
    browser->setOpenExternalLinks(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addWidget(browser);
    layout->addWidget(buttons);
    dialog.resize(size);
    dialog.exec();
}

} // namespace

QString layerReferenceHtml()
{
    QString html = QStringLiteral("<h1>%1</h1>").arg(QObject::tr("Layer reference"));
    std::string category;
    for (const engine::LayerType* type : engine::LayerRegistry::instance().all()) {
        const engine::LayerDescription& layer = type->description();
        if (layer.category != category) {
            category = layer.category;
            html += QStringLiteral("<h2>%1</h2>").arg(escaped(category));
        }
        html += QStringLiteral("<h3>%1 <small>(%2)</small></h3><p>%3</p>")
                    .arg(escaped(layer.displayName), escaped(layer.type), escaped(layer.help));
        if (layer.params.empty())
            continue;
        html += QStringLiteral("<table border=1 cellspacing=0 cellpadding=3><tr><th>%1</th><th>%2</th><th>%3</th>"
                               "<th>%4</th></tr>")
                    .arg(QObject::tr("Parameter"), QObject::tr("Kind"), QObject::tr("Default"), QObject::tr("Meaning"));
        for (const engine::ParamSpec& spec : layer.params)
            html += QStringLiteral("<tr><td><code>%1</code>%2</td><td>%3</td><td>%4</td><td>%5</td></tr>")
                        .arg(escaped(spec.name), spec.advanced ? QObject::tr(" (advanced)") : QString(),
                            escaped(engine::describeKind(spec.kind, spec.tupleSize)),
                            describeDefault(spec).toHtmlEscaped(), escaped(spec.helpText));
        html += QStringLiteral("</table>");
    }
    return html;
}

QString keyboardShortcutsHtml(const QList<QAction*>& actions)
{
    std::map<QString, QString> rows; // sorted by action text, one row per action
    for (const QAction* action : actions)
        if (!action->shortcut().isEmpty())
            rows[action->text().remove('&')] = action->shortcuts().isEmpty()
                ? QString()
                : QKeySequence::listToString(action->shortcuts(), QKeySequence::NativeText);
    QString html = QStringLiteral("<h2>%1</h2><table cellpadding=4>").arg(QObject::tr("Keyboard shortcuts"));
    for (const auto& [text, keys] : rows)
        html
            += QStringLiteral("<tr><td>%1</td><td><b>%2</b></td></tr>").arg(text.toHtmlEscaped(), keys.toHtmlEscaped());
    html += QStringLiteral("<tr><td>%1</td><td><b>Tab</b></td></tr>").arg(QObject::tr("Add a layer at the cursor"));
    html += QStringLiteral("<tr><td>%1</td><td><b>%2</b></td></tr>")
                .arg(QObject::tr("Pan the canvas"), QObject::tr("Space + drag, middle mouse"));
    return html + QStringLiteral("</table>");
}

QString aboutHtml()
{
    const std::string cuda = engine::cudaVersion();
    return QObject::tr("<h2>Netdraft %1</h2><p>A visual builder for neural networks: draw, check, train, export.</p>"
                       "<table><tr><td>Qt</td><td>%2</td></tr><tr><td>LibTorch</td><td>%3</td></tr>"
                       "<tr><td>CUDA</td><td>%4</td></tr></table>")
        .arg(QStringLiteral(NETDRAFT_VERSION), QString::fromLatin1(qVersion()),
            QString::fromStdString(engine::libTorchVersion()),
            cuda.empty() ? QObject::tr("none") : QString::fromStdString(cuda));
}

void showLayerReference(QWidget* parent)
{
    showHtml(parent, QObject::tr("Layer Reference"), layerReferenceHtml(), { 760, 720 });
}

void showKeyboardShortcuts(QWidget* parent, const QList<QAction*>& actions)
{
    showHtml(parent, QObject::tr("Keyboard Shortcuts"), keyboardShortcutsHtml(actions), { 480, 560 });
}

void showAbout(QWidget* parent)
{
    QMessageBox::about(parent, QObject::tr("About Netdraft"), aboutHtml());
}

} // namespace netdraft::app
