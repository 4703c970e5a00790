#include "editor/BlockGeometry.h"

#include "engine/layers/LayerRegistry.h"

#include <QFontMetricsF>

#include <algorithm>
#include <cmath>

namespace netdraft::editor::geometry {

namespace {
const engine::LayerDescription* describe(const engine::Block& block)
{
    const engine::LayerType* type = engine::LayerRegistry::instance().find(block.type);
    return type ? &type->description() : nullptr;
}

/// The definition behind a composite instance, or null for layers and unknown types.
const engine::CompositeDefinition* findDefinition(const std::string& type, const engine::Graph& definitions)
{
    return engine::LayerRegistry::instance().find(type) ? nullptr : definitions.findComposite(type);
}

/// Ports spread evenly over the body below the header.
QPointF portPosition(const engine::Block& block, size_t index, size_t count, double x, const engine::Graph& definitions)
{
    const QSizeF size = blockSize(block, definitions);
    const double top = kHeaderHeight;
    const double step = (size.height() - top) / static_cast<double>(count + 1);
    return { x, count <= 1 ? top + (size.height() - top) / 2 : top + step * static_cast<double>(index + 1) };
}
} // namespace

std::string compositeSummary(const std::string& type, const engine::Graph& definitions)
{
    const engine::CompositeDefinition* definition = findDefinition(type, definitions);
    if (!definition)
        return {};
    if (definition->blocks.size() > 3)
        return std::to_string(definition->blocks.size()) + " blocks";
    std::string summary; // "Conv2d → ReLU"
    for (const engine::Block& block : definition->blocks)
        summary += (summary.empty() ? "" : " \u2192 ") + block.type;
    return summary;
}

bool isCompositeType(const std::string& type, const engine::Graph& definitions)
{
    return findDefinition(type, definitions) != nullptr;
}

std::vector<std::string> shownParameters(const engine::Block& block)
{
    std::vector<std::string> names;
    if (const engine::LayerDescription* description = describe(block))
        for (const engine::ParamSpec& spec : description->params)
            if (spec.shownOnBlock)
                names.push_back(spec.name);
    return names;
}

QFont titleFont()
{
    QFont font;
    font.setPointSizeF(9);
    font.setBold(true);
    return font;
}

QFont typeFont()
{
    QFont font;
    font.setPointSizeF(7.5);
    return font;
}

QFont parameterLineFont()
{
    QFont font;
    font.setPointSizeF(8);
    return font;
}

QFont parameterCountFont()
{
    // It was 7 pt, about 6 px high at 100 % and unreadable at the usual zoom; secondary text on the
    // card is 8 pt.
    return parameterLineFont();
}

double headerWidth(const engine::Block& block)
{
    const QString title = QString::fromStdString(block.displayName());
    const QString type = QString::fromStdString(block.type);
    const double typeWidth = type != title ? QFontMetricsF(typeFont()).horizontalAdvance(type) + kTitleGap : 0;
    return 2 * kHeaderMargin + (block.frozen ? kLockAllowance : 0) + QFontMetricsF(titleFont()).horizontalAdvance(title)
        + typeWidth;
}

QSizeF blockSize(const engine::Block& block, const engine::Graph& definitions)
{
    // + the output shape, + what a composite holds
    const engine::CompositeDefinition* definition = findDefinition(block.type, definitions);
    // A composite instance shows its exposed parameters and a summary of its inside.
    const size_t lines = shownParameters(block).size() + 1 + (definition ? 1 + definition->parameters.size() : 0);
    const size_t ports = std::max(inputPorts(block, definitions).size(), outputPorts(block, definitions).size());
    double body = 2 * kBodyPadding + kLineHeight * static_cast<double>(lines);
    body = std::max(body, 20.0 * static_cast<double>(ports)); // room for many merge inputs
    const double height = std::ceil((kHeaderHeight + body) / kGrid) * kGrid;
    // Wider for a long title ("positions  PositionalEncoding"), on the grid so that ports stay on it.
    const double width = std::clamp(std::ceil(headerWidth(block) / kGrid) * kGrid, kBlockWidth, kMaxBlockWidth);
    return { width, height };
}

std::vector<std::string> inputPorts(const engine::Block& block, const engine::Graph& definitions)
{
    if (const engine::LayerDescription* description = describe(block))
        return description->inputPorts(block.params);
    const engine::CompositeDefinition* composite = findDefinition(block.type, definitions);
    return composite ? composite->inputNames() : std::vector<std::string> { "in" };
}

std::vector<std::string> outputPorts(const engine::Block& block, const engine::Graph& definitions)
{
    if (const engine::LayerDescription* description = describe(block))
        return description->outputPorts(block.params);
    const engine::CompositeDefinition* composite = findDefinition(block.type, definitions);
    return composite ? composite->outputNames() : std::vector<std::string> { "out" };
}

QPointF inputPortPosition(const engine::Block& block, size_t index, const engine::Graph& definitions)
{
    return portPosition(block, index, inputPorts(block, definitions).size(), 0, definitions);
}

QPointF outputPortPosition(const engine::Block& block, size_t index, const engine::Graph& definitions)
{
    return portPosition(
        block, index, outputPorts(block, definitions).size(), blockSize(block, definitions).width(), definitions);
}

} // namespace netdraft::editor::geometry
