#include "editor/AutoLayout.h"

#include "editor/BlockGeometry.h"
#include "engine/core/Error.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace netdraft::editor {

namespace {

constexpr double kPointsPerInch = 72; // dot sizes are inches, coordinates points; one point = one pixel
constexpr double kColumnGap = 120; // room for the shape label on each connection (the examples' 290 px columns)
constexpr double kNodeGap = 40; // between the stacked blocks of one column
constexpr double kRowGap = 100; // lanes for the connections that wrap to the next row or skip over blocks
constexpr size_t kMaxColumnsPerRow = 64;
constexpr double kCutCost = 10; // a skip connection cut by a row break is as bad as ten empty columns
constexpr double kCutScore = 0.1; // and worth this much of the log of the aspect ratio's error

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

/// One rank: its blocks from top to bottom, the height they take stacked and the widest's width
/// (a long title widens a block).
struct Column {
    std::vector<std::string> ids;
    double height = 0;
    double width = 0;
};

/// The chosen blocks in dot's ranks (left to right) and its order within each rank, which keeps
/// connections from crossing; ranks that hold only dot's virtual nodes are left out.
std::vector<Column> rankColumns(const engine::Graph& graph, const std::set<std::string>& chosen)
{
    GraphvizSession session;
    ND_CHECK(session.context, "auto-layout: Graphviz could not start");
    agseterr(AGERR); // warnings to nowhere; errors still printed
    std::string name = "netdraft";
    session.graph = agopen(name.data(), Agdirected, nullptr);
    setAttribute(session.graph, "rankdir", "LR");
    setAttribute(session.graph, "splines", "false");

    std::map<std::string, Agnode_t*> nodes;
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
    }
    for (const engine::Connection& c : graph.connections())
        if (nodes.count(c.from.block) && nodes.count(c.to.block))
            agedge(session.graph, nodes[c.from.block], nodes[c.to.block], nullptr, 1);
    ND_CHECK(gvLayout(session.context, session.graph, "dot") == 0, "auto-layout: Graphviz dot layout failed");
    session.laidOut = true;

    std::map<int, std::vector<std::pair<double, std::string>>> ranks; // rank → (height from the top, id)
    for (const auto& [id, node] : nodes)
        ranks[ND_rank(node)].emplace_back(-ND_coord(node).y, id); // dot's y axis points up
    std::vector<Column> columns;
    for (auto& [rank, members] : ranks) {
        std::sort(members.begin(), members.end());
        Column column;
        for (const auto& [y, id] : members) {
            const QSizeF size = geometry::blockSize(graph.block(id), graph);
            column.height += (column.ids.empty() ? 0 : kNodeGap) + size.height();
            column.width = std::max(column.width, size.width());
            column.ids.push_back(id);
        }
        columns.push_back(std::move(column));
    }
    return columns;
}

/// crossings[k]: how many connections run from a column before k to column k or after (or back).
std::vector<int> boundaryCrossings(const engine::Graph& graph, const std::vector<Column>& columns)
{
    std::map<std::string, size_t> columnOf;
    for (size_t i = 0; i < columns.size(); ++i)
        for (const std::string& id : columns[i].ids)
            columnOf[id] = i;
    std::vector<int> difference(columns.size() + 1, 0);
    for (const engine::Connection& c : graph.connections()) {
        auto from = columnOf.find(c.from.block), to = columnOf.find(c.to.block);
        if (from == columnOf.end() || to == columnOf.end() || from->second == to->second)
            continue;
        const auto [first, last] = std::minmax(from->second, to->second);
        ++difference[first + 1];
        --difference[last + 1];
    }
    std::vector<int> crossings(columns.size(), 0);
    int running = 0;
    for (size_t k = 0; k < columns.size(); ++k)
        crossings[k] = running += difference[k];
    return crossings;
}

/// The first column of each row, at most `perRow` columns a row, and the connections its breaks cut
/// besides the main path: the breaks that cut fewest (between residual blocks rather than inside one),
/// a row left short costing one unit a missing column and a cut connection kCutCost.
std::pair<std::vector<size_t>, int> rowStarts(const std::vector<int>& crossings, size_t perRow)
{
    const size_t count = crossings.size();
    auto cutAt = [&](size_t column) { return column ? std::max(0, crossings[column] - 1) : 0; };
    std::vector<double> cost(count + 1, std::numeric_limits<double>::max()); // columns before i in rows
    std::vector<size_t> rowStart(count + 1, 0);
    cost[0] = 0;
    for (size_t end = 1; end <= count; ++end)
        for (size_t start = end > perRow ? end - perRow : 0; start < end; ++start) {
            const double shortBy = end < count ? double(perRow - (end - start)) : 0; // the last row may be short
            const double total = cost[start] + kCutCost * cutAt(start) + shortBy;
            if (total < cost[end]) {
                cost[end] = total;
                rowStart[end] = start;
            }
        }
    std::vector<size_t> starts;
    int cuts = 0;
    for (size_t end = count; end > 0; end = rowStart[end]) {
        starts.insert(starts.begin(), rowStart[end]);
        cuts += cutAt(rowStart[end]);
    }
    return { starts, cuts };
}

double rowHeight(const std::vector<Column>& columns, size_t begin, size_t end)
{
    double height = 0;
    for (size_t i = begin; i < end; ++i)
        height = std::max(height, columns[i].height);
    return height;
}

/// Width / height of the columns wrapped at `starts`.
double aspectOf(const std::vector<Column>& columns, const std::vector<size_t>& starts)
{
    double width = 0, height = 0;
    for (size_t row = 0; row < starts.size(); ++row) {
        const size_t end = row + 1 < starts.size() ? starts[row + 1] : columns.size();
        double rowWidth = -kColumnGap;
        for (size_t i = starts[row]; i < end; ++i)
            rowWidth += columns[i].width + kColumnGap;
        width = std::max(width, rowWidth);
        height += rowHeight(columns, starts[row], end) + (row ? kRowGap : 0);
    }
    return width / std::max(height, 1.0);
}

/// The row starts, rows no wider than `widest` columns, whose bounding box comes closest to
/// `aspectRatio` with fewest connections cut.
std::vector<size_t> wrapToAspect(
    const std::vector<Column>& columns, const std::vector<int>& crossings, double aspectRatio, size_t widest)
{
    const size_t count = columns.size();
    std::vector<size_t> best { 0 };
    if (widest != std::numeric_limits<size_t>::max() && count <= widest)
        return best; // one row that fits the view: no reason to wrap
    double bestScore = std::numeric_limits<double>::max();
    // Rows of up to kMaxColumnsPerRow (18,000 px) bound the search to columns × 64² steps.
    const size_t first = std::min(count, kMinColumnsPerRow);
    for (size_t perRow = first; perRow <= std::max(first, std::min({ count, kMaxColumnsPerRow, widest })); ++perRow) {
        auto [starts, cuts] = rowStarts(crossings, perRow);
        const double score = std::abs(std::log(aspectOf(columns, starts) / aspectRatio)) + kCutScore * cuts;
        if (score < bestScore - 1e-9) {
            bestScore = score;
            best = std::move(starts);
        }
    }
    return best;
}

} // namespace

std::map<std::string, engine::Point> computeAutoLayout(
    const engine::Graph& graph, const std::vector<std::string>& ids, double aspectRatio, double maxRowWidth)
{
    std::set<std::string> chosen(ids.begin(), ids.end());
    if (chosen.empty())
        for (const engine::Block& block : graph.blocks())
            chosen.insert(block.id);
    if (chosen.empty())
        return {};
    ND_CHECK(aspectRatio > 0 && std::isfinite(aspectRatio),
        "auto-layout: aspect ratio " + std::to_string(aspectRatio) + " is not a positive number");

    const std::vector<Column> columns = rankColumns(graph, chosen);
    double widestColumn = geometry::kBlockWidth;
    for (const Column& column : columns)
        widestColumn = std::max(widestColumn, column.width);
    const double columnsInWidth = (maxRowWidth + kColumnGap) / (widestColumn + kColumnGap);
    // Without a width (infinite), any number of columns fits but the aspect ratio decides.
    const size_t widest = std::isinf(maxRowWidth)  ? std::numeric_limits<size_t>::max()
        : columnsInWidth >= double(columns.size()) ? columns.size()
                                                   : size_t(std::max(1.0, columnsInWidth));
    const std::vector<size_t> starts = wrapToAspect(columns, boundaryCrossings(graph, columns), aspectRatio, widest);

    const bool wholeGraph = chosen.size() == graph.blocks().size();
    double originX = 0, originY = 0;
    if (!wholeGraph) {
        originX = originY = std::numeric_limits<double>::max();
        for (const std::string& id : chosen) {
            originX = std::min(originX, graph.block(id).position.x);
            originY = std::min(originY, graph.block(id).position.y);
        }
        originX = geometry::snapToGrid(originX);
        originY = geometry::snapToGrid(originY);
    }
    std::map<std::string, engine::Point> positions;
    double rowTop = originY;
    for (size_t row = 0; row < starts.size(); ++row) {
        const size_t end = row + 1 < starts.size() ? starts[row + 1] : columns.size();
        double x = originX;
        for (size_t i = starts[row]; i < end; x += columns[i].width + kColumnGap, ++i) {
            double y = rowTop;
            for (const std::string& id : columns[i].ids) {
                positions[id] = { x, y }; // on the grid: the sizes and gaps are multiples of it
                y += geometry::blockSize(graph.block(id), graph).height() + kNodeGap;
            }
        }
        rowTop += rowHeight(columns, starts[row], end) + kRowGap;
    }
    return positions;
}

} // namespace netdraft::editor
