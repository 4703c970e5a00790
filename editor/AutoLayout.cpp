#include "editor/AutoLayout.h"

#include "editor/BlockGeometry.h"
#include "engine/core/Error.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <set>

namespace netdraft::editor {

namespace {

constexpr double kPointsPerInch = 72; // dot sizes are inches, coordinates points; one point = one pixel
constexpr double kRankGap = 110; // room for the shape label on each connection
constexpr double kNodeGap = 40;

/// cgraph's API takes char*; these keep the strings alive and writable.
void setAttribute(void* object, const char* name, const std::string& value)
{
    std::string nameCopy(name), valueCopy(value), empty;
    agsafeset(object, nameCopy.data(), valueCopy.data(), empty.data());
}

std::string inches(double pixels)
{
    return std::to_string(pixels / kPointsPerInch);
}

struct GraphvizSession {
    GVC_t* context = gvContext();
    Agraph_t* graph = nullptr;
    bool laidOut = false;
    ~GraphvizSession()
    {
        if (laidOut)
            gvFreeLayout(context, graph);
        if (graph)
            agclose(graph);
        gvFreeContext(context);
    }
};

} // namespace

std::map<std::string, engine::Point> computeAutoLayout(const engine::Graph& graph, const std::vector<std::string>& ids)
{
    std::set<std::string> chosen(ids.begin(), ids.end());
    if (chosen.empty())
        for (const engine::Block& block : graph.blocks())
            chosen.insert(block.id);
    if (chosen.empty())
        return {};

    GraphvizSession session;
    ND_CHECK(session.context, "auto-layout: Graphviz could not start");
    agseterr(AGERR); // warnings to nowhere; errors still printed
    std::string name = "netdraft";
    session.graph = agopen(name.data(), Agdirected, nullptr);
    setAttribute(session.graph, "rankdir", "LR");
    setAttribute(session.graph, "ranksep", std::to_string(kRankGap / kPointsPerInch));
    setAttribute(session.graph, "nodesep", std::to_string(kNodeGap / kPointsPerInch));
    setAttribute(session.graph, "splines", "false");

    std::map<std::string, Agnode_t*> nodes;
    double oldLeft = std::numeric_limits<double>::max(), oldTop = std::numeric_limits<double>::max();
    for (const engine::Block& block : graph.blocks()) {
        if (!chosen.count(block.id))
            continue;
        std::string nodeName = block.id;
        Agnode_t* node = agnode(session.graph, nodeName.data(), 1);
        const QSizeF size = geometry::blockSize(block, graph);
        setAttribute(node, "shape", "box");
        setAttribute(node, "fixedsize", "true");
        setAttribute(node, "width", inches(size.width()));
        setAttribute(node, "height", inches(size.height()));
        nodes[block.id] = node;
        oldLeft = std::min(oldLeft, block.position.x);
        oldTop = std::min(oldTop, block.position.y);
    }
    for (const engine::Connection& c : graph.connections())
        if (nodes.count(c.from.block) && nodes.count(c.to.block))
            agedge(session.graph, nodes[c.from.block], nodes[c.to.block], nullptr, 1);

    ND_CHECK(gvLayout(session.context, session.graph, "dot") == 0, "auto-layout: Graphviz dot layout failed");
    session.laidOut = true;

    // dot's y axis points up and its coordinates are centres: convert to top-left, y down.
    std::map<std::string, engine::Point> positions;
    double minX = std::numeric_limits<double>::max(), minY = std::numeric_limits<double>::max();
    for (const auto& [id, node] : nodes) {
        const QSizeF size = geometry::blockSize(graph.block(id), graph);
        const double x = ND_coord(node).x - size.width() / 2;
        const double y = -ND_coord(node).y - size.height() / 2;
        positions[id] = { x, y };
        minX = std::min(minX, x);
        minY = std::min(minY, y);
    }
    const bool wholeGraph = chosen.size() == graph.blocks().size();
    const double originX = wholeGraph ? 0 : oldLeft, originY = wholeGraph ? 0 : oldTop;
    for (auto& [id, position] : positions)
        position
            = { geometry::snapToGrid(position.x - minX + originX), geometry::snapToGrid(position.y - minY + originY) };
    return positions;
}

} // namespace netdraft::editor
