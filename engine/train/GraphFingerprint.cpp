#include "engine/train/GraphFingerprint.h"

#include "engine/graph/CompositeExpansion.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <variant>

namespace netdraft::engine {

namespace {

/// Exact text of a parameter value (doubles with 17 significant digits), tagged with its kind.
std::string exactText(const ParamValue& value)
{
    struct Visitor {
        std::string operator()(const Auto&) const { return "a:auto"; }
        std::string operator()(bool flag) const { return flag ? "b:1" : "b:0"; }
        std::string operator()(int64_t number) const { return "i:" + std::to_string(number); }
        std::string operator()(double number) const { return "r:" + real(number); }
        std::string operator()(const std::string& text) const
        {
            return "s:" + std::to_string(text.size()) + ":" + text;
        }
        std::string operator()(const IntList& list) const
        {
            std::string out = "I:";
            for (int64_t n : list)
                out += std::to_string(n) + ",";
            return out;
        }
        std::string operator()(const RealList& list) const
        {
            std::string out = "R:";
            for (double n : list)
                out += real(n) + ",";
            return out;
        }
        static std::string real(double number)
        {
            char buffer[40];
            std::snprintf(buffer, sizeof buffer, "%.17g", number);
            return buffer;
        }
    };
    return std::visit(Visitor {}, value);
}

} // namespace

std::string graphFingerprint(const Graph& design)
{
    // The expanded graph: what trains. An edit inside a composite definition changes the weights'
    // layout although no top-level block changed. Graphs without composites hash as before.
    Graph expanded;
    const Graph& graph = flatGraph(design, expanded);
    // Only what decides which weights fit: type, parameters, connections. A block's frozen flag and
    // learning_rate_scale are left out, so weights and checkpoints stay usable when fine-tuning
    // choices change (a resume then fails only if the optimizer's parameter groups no longer match).
    std::vector<std::string> lines;
    for (const Block& block : graph.blocks()) {
        std::string line = "block " + block.id + " " + block.type;
        for (const auto& [name, value] : block.params) // a std::map: already sorted
            line += " " + name + "=" + exactText(value);
        lines.push_back(std::move(line));
    }
    std::sort(lines.begin(), lines.end());
    std::vector<std::string> connections;
    for (const Connection& c : graph.connections())
        connections.push_back("connect " + c.from.block + "." + c.from.port + " " + c.to.block + "." + c.to.port);
    std::sort(connections.begin(), connections.end());
    lines.insert(lines.end(), connections.begin(), connections.end());

    uint64_t hash = 1469598103934665603ULL;
    for (const std::string& line : lines)
        for (unsigned char c : line + "\n") {
            hash ^= c;
            hash *= 1099511628211ULL;
        }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016" PRIx64, hash);
    return hex;
}

} // namespace netdraft::engine
