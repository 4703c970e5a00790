#pragma once
// The clipboard's JSON for a group of blocks and the connections among them: the engine's fragment
// format (engine/io/FragmentFormat.h), which the project file's own graph writer and reader serve.

#include "engine/graph/Graph.h"
#include "engine/io/FragmentFormat.h"

#include <QByteArray>

#include <string>
#include <vector>

namespace netdraft::editor {

/// Blocks, the connections among them and the composite definitions they use.
using BlockFragment = engine::GraphFragment;

/// The blocks `ids` of `graph` (in graph order), the connections among them and the definitions they use.
BlockFragment copyFragment(const engine::Graph& graph, const std::vector<std::string>& ids);

/// engine::serializeFragment() as bytes for QMimeData.
QByteArray encodeFragment(const BlockFragment& fragment);

/// engine::sameCompositeDefinition().
bool sameComposite(const engine::CompositeDefinition& a, const engine::CompositeDefinition& b);

/// Parses clipboard JSON (engine::parseFragment); throws engine::Error naming the offending place.
BlockFragment decodeFragment(const QByteArray& json, const engine::Graph& receiving = engine::Graph());

} // namespace netdraft::editor
