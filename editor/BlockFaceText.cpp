#include "editor/BlockFaceText.h"

#include "editor/BlockGeometry.h"
#include "engine/graph/CompositeParameters.h"
#include "engine/layers/LayerRegistry.h"

#include <algorithm>

namespace netdraft::editor {

namespace {

/// The window parameters that change what a kernel does, with the letters they take beside it.
struct KernelModifier {
    const char* name;
    const char* letter;
};
constexpr KernelModifier kKernelModifiers[] = { { "stride", "s" }, { "padding", "p" }, { "dilation", "d" } };

/// "2" for 2×2, "1×2" when the values differ, words as they are.
QString compactValue(const engine::ParamValue& value)
{
    if (const auto* list = std::get_if<engine::IntList>(&value); list && !list->empty()
        && std::all_of(list->begin(), list->end(), [&](int64_t v) { return v == list->front(); }))
        return QString::number(list->front());
    return QString::fromStdString(engine::formatParamValue(value));
}

/// " s2 p1": the modifiers of `block` that differ from their defaults.
QString kernelModifiers(const engine::Block& block, const engine::LayerDescription& description)
{
    QString text;
    for (const KernelModifier& modifier : kKernelModifiers) {
        const auto spec = std::find_if(description.params.begin(), description.params.end(),
            [&](const engine::ParamSpec& candidate) { return candidate.name == modifier.name; });
        const auto set = block.params.find(modifier.name);
        if (spec == description.params.end() || set == block.params.end())
            continue;
        engine::ParamValue value = set->second;
        if (spec->normalize(value) || value == spec->defaultValue)
            continue; // invalid values are the inspector's and the error badge's to show
        const bool word = std::holds_alternative<std::string>(value);
        text += QStringLiteral(" ") + modifier.letter + (word ? QStringLiteral(" ") : QString()) + compactValue(value);
    }
    return text;
}

} // namespace

std::vector<std::pair<QString, QString>> faceParameters(
    const engine::Block& block, const engine::BlockInference* inference, const engine::Graph* definitions)
{
    std::vector<std::pair<QString, QString>> params;
    const engine::CompositeDefinition* definition = definitions && !engine::LayerRegistry::instance().find(block.type)
        ? definitions->findComposite(block.type)
        : nullptr;
    if (definition) {
        for (const engine::CompositeParameter& parameter : definition->parameters)
            params.emplace_back(QString::fromStdString(parameter.name),
                compactValue(engine::instanceParameterValue(*definition, block, parameter.name)));
        return params;
    }
    const engine::LayerType* type = engine::LayerRegistry::instance().find(block.type);
    for (const std::string& name : geometry::shownParameters(block)) {
        auto it = block.params.find(name);
        QString value = it == block.params.end() ? QStringLiteral("–")
                                                 : QString::fromStdString(engine::formatParamValue(it->second));
        // An inferred value reads better than "auto" on the canvas.
        if (inference && it != block.params.end() && engine::isAuto(it->second))
            if (auto inferred = inference->inferred.find(name); inferred != inference->inferred.end())
                value = QString::fromStdString(engine::formatParamValue(inferred->second));
        if (name == "kernel_size" && type)
            value += kernelModifiers(block, type->description());
        params.emplace_back(QString::fromStdString(name), value);
    }
    return params;
}

} // namespace netdraft::editor
