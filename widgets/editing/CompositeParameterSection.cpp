#include "widgets/editing/CompositeParameterSection.h"

#include "editor/commands/ExposeCompositeParameter.h"
#include "engine/core/Error.h"
#include "engine/graph/CompositeParameters.h"
#include "engine/layers/LayerRegistry.h"

#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>

namespace netdraft::widgets {

namespace {

const engine::CompositeDefinition* openComposite(const editor::GraphDocument& document)
{
    return document.scope().isEmpty() ? nullptr
                                      : document.project().graph.findComposite(document.scope().toStdString());
}

} // namespace

std::vector<engine::ParamSpec> inspectedParameters(const editor::GraphDocument& document, const engine::Block& block)
{
    if (const engine::LayerType* type = engine::LayerRegistry::instance().find(block.type))
        return type->description().params;
    const engine::Graph& project = document.project().graph;
    if (const engine::CompositeDefinition* definition = project.findComposite(block.type))
        return engine::compositeParameterSpecs(project, *definition);
    return {};
}

std::string inspectorFormKey(const editor::GraphDocument& document, const engine::Block& block)
{
    std::string key = block.type;
    if (!engine::LayerRegistry::instance().find(block.type))
        for (const engine::ParamSpec& spec : inspectedParameters(document, block))
            key += "|" + spec.name + ":" + engine::describeKind(spec.kind, spec.tupleSize);
    if (const engine::CompositeDefinition* open = openComposite(document)) // bound inner parameters are marked
        for (const engine::CompositeParameter& parameter : open->parameters)
            for (const engine::ParamTarget& target : parameter.targets)
                if (target.block == block.id)
                    key += "|" + target.param + "<-" + parameter.name;
    return key;
}

QString exposedAs(const editor::GraphDocument& document, const std::string& blockId, const std::string& param)
{
    const engine::CompositeDefinition* definition = openComposite(document);
    const engine::CompositeParameter* parameter = definition ? definition->parameterBinding(blockId, param) : nullptr;
    return parameter ? QString::fromStdString(parameter->name) : QString();
}

QString exposeParameter(
    editor::GraphDocument& document, const std::string& blockId, const std::string& param, const std::string& name)
{
    const engine::CompositeDefinition* definition = openComposite(document);
    if (!definition)
        return QObject::tr("Open a composite block to expose its inner parameters.");
    try {
        document.push(new editor::commands::ExposeCompositeParameter(document, definition->name, blockId, param, name));
    } catch (const engine::Error& error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

void decorateInnerParameter(editor::GraphDocument& document, const std::string& blockId, const std::string& param,
    QLabel* label, QWidget* editor)
{
    const engine::CompositeDefinition* definition = openComposite(document);
    if (!definition)
        return;
    const QString composite = QString::fromStdString(definition->name);
    const QString bound = exposedAs(document, blockId, param);
    if (!bound.isEmpty()) {
        QString formula = bound; // "expansion × in_channels" for a target with factors
        for (const engine::ParamTarget& target : definition->parameterBinding(blockId, param)->targets)
            if (target.block == blockId && target.param == param)
                for (const std::string& factor : target.times)
                    formula += QStringLiteral(" \u00d7 ") + QString::fromStdString(factor);
        label->setText(QStringLiteral("%1 \u2190 %2").arg(QString::fromStdString(param), formula));
        const QString why = QObject::tr("Set by each %1 instance's parameter %2 (Inspector of the instance); "
                                        "right-click to stop exposing it.")
                                .arg(composite, formula);
        label->setToolTip(why);
        editor->setToolTip(why);
        editor->setEnabled(false);
    }
    label->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(label, &QWidget::customContextMenuRequested, label,
        [&document, blockId, param, bound, composite, label](const QPoint& at) {
            QMenu menu(label);
            if (bound.isEmpty()) {
                menu.addAction(
                    QObject::tr("Expose as composite parameter\u2026"), label, [&document, blockId, param, label] {
                        bool ok = false;
                        const QString name = QInputDialog::getText(label, QObject::tr("Expose as composite parameter"),
                            QObject::tr("Name of the parameter each instance sets (an existing name of the same kind "
                                        "sets this one too):"),
                            QLineEdit::Normal, QString::fromStdString(param), &ok);
                        if (!ok || name.trimmed().isEmpty())
                            return;
                        const QString refused = exposeParameter(document, blockId, param, name.trimmed().toStdString());
                        if (!refused.isEmpty())
                            QMessageBox::warning(label, QObject::tr("Expose as composite parameter"), refused);
                    });
            } else {
                menu.addAction(QObject::tr("Stop exposing %1 (every target of it)").arg(bound), label,
                    [&document, bound, composite] {
                        document.push(new editor::commands::RemoveCompositeParameter(
                            document, composite.toStdString(), bound.toStdString()));
                    });
            }
            menu.exec(label->mapToGlobal(at));
        });
}

} // namespace netdraft::widgets
