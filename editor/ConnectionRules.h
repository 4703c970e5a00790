#pragma once
// Whether the user may connect two ports: the checks the canvas makes before pushing Connect.

#include "engine/graph/Graph.h"

#include <QString>

#include <optional>

namespace netdraft::editor {

/// What to do about an input that already has a connection.
enum class OccupiedInput {
    Refuse, ///< "input already connected"
    Replace, ///< the new connection takes its place (the canvas drops a wire on a connected input)
};

/// Why `connection` may not be added to `graph` ("input already connected", "would create a cycle"),
/// or nothing when it may. `replacing` is a connection about to be removed (dragging an existing
/// connection's end to another input), treated as absent.
std::optional<QString> whyCannotConnect(const engine::Graph& graph, const engine::Connection& connection,
    const std::optional<engine::Connection>& replacing = std::nullopt, OccupiedInput occupied = OccupiedInput::Refuse);

/// The connection already into `connection`'s input, which connecting would replace; nothing when the
/// input is free or its connection is `replacing` (about to be removed anyway).
std::optional<engine::Connection> displacedConnection(const engine::Graph& graph, const engine::Connection& connection,
    const std::optional<engine::Connection>& replacing = std::nullopt);

/// Whether data can flow from block `from` to block `to` along connections (to == from counts).
bool reaches(const engine::Graph& graph, const std::string& from, const std::string& to);

} // namespace netdraft::editor
