#pragma once
// Whether the user may connect two ports: the checks the canvas makes before pushing Connect.

#include "engine/graph/Graph.h"

#include <QString>

#include <optional>

namespace netdraft::editor {

/// Why `connection` may not be added to `graph` ("input already connected", "would create a cycle"),
/// or nothing when it may. `replacing` is a connection about to be removed (dragging an existing
/// connection's end to another input), treated as absent.
std::optional<QString> whyCannotConnect(const engine::Graph& graph, const engine::Connection& connection,
    const std::optional<engine::Connection>& replacing = std::nullopt);

/// Whether data can flow from block `from` to block `to` along connections (to == from counts).
bool reaches(const engine::Graph& graph, const std::string& from, const std::string& to);

} // namespace netdraft::editor
