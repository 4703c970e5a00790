#include "editor/BlockGeometry.h"

#include "engine/layers/LayerRegistry.h"

#include <cmath>
#include <map>

namespace netdraft::editor::geometry {

namespace {
const engine::LayerDescription* describe(const engine::Block& block)
{
    const engine::LayerType* type = engine::LayerRegistry::instance().find(block.type);
    return type ? &type->description() : nullptr;
}

struct CompositePorts {
    std::vector<std::string> inputs;
    std::vector<std::string> outputs;
    std::string summary;
};

std::map<std::string, CompositePorts>& compositePorts()
{
    static std::map<std::string, CompositePorts> table;
    return table;
}

const CompositePorts* findCompositePorts(const engine::Block& block)
{
    auto it = compositePorts().find(block.type);
    return it == compositePorts().end() ? nullptr : &it->second;
}

/// Ports spread evenly over the body below the header.
QPointF portPosition(const engine::Block& block, size_t index, size_t count, double x)
{
    const QSizeF size = blockSize(block);
    const double top = kHeaderHeight;
    const double step = (size.height() - top) / static_cast<double>(count + 1);
    return { x, count <= 1 ? top + (size.height() - top) / 2 : top + step * static_cast<double>(index + 1) };
}
} // namespace

void setCompositePorts(
    const std::string& name, std::vector<std::string> inputs, std::vector<std::string> outputs, std::string summary)
{
    compositePorts()[name] = { std::move(inputs), std::move(outputs), std::move(summary) };
}

std::string compositeSummary(const std::string& type)
{
    auto it = compositePorts().find(type);
    return it == compositePorts().end() ? std::string() : it->second.summary;
}

bool isCompositeType(const std::string& type)
{
    return compositePorts().count(type) > 0;
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

QSizeF blockSize(const engine::Block& block)
{
    // + the output shape, + what a composite holds
    const size_t lines = shownParameters(block).size() + 1 + (isCompositeType(block.type) ? 1 : 0);
    const size_t ports = std::max(inputPorts(block).size(), outputPorts(block).size());
    double body = 2 * kBodyPadding + kLineHeight * static_cast<double>(lines);
    body = std::max(body, 20.0 * static_cast<double>(ports)); // room for many merge inputs
    const double height = std::ceil((kHeaderHeight + body) / kGrid) * kGrid;
    return { kBlockWidth, height };
}

std::vector<std::string> inputPorts(const engine::Block& block)
{
    const engine::LayerDescription* description = describe(block);
    if (description)
        return description->inputPorts(block.params);
    const CompositePorts* composite = findCompositePorts(block);
    return composite ? composite->inputs : std::vector<std::string> { "in" };
}

std::vector<std::string> outputPorts(const engine::Block& block)
{
    const engine::LayerDescription* description = describe(block);
    if (description)
        return description->outputs;
    const CompositePorts* composite = findCompositePorts(block);
    return composite ? composite->outputs : std::vector<std::string> { "out" };
}

QPointF inputPortPosition(const engine::Block& block, size_t index)
{
    return portPosition(block, index, inputPorts(block).size(), 0);
}

QPointF outputPortPosition(const engine::Block& block, size_t index)
{
    return portPosition(block, index, outputPorts(block).size(), kBlockWidth);
}

} // namespace netdraft::editor::geometry
