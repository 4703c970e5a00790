#include "editor/ClipboardFormat.h"

#include "engine/graph/CompositeEditing.h"

#include <set>

namespace netdraft::editor {

BlockFragment copyFragment(const engine::Graph& graph, const std::vector<std::string>& ids)
{
    const std::set<std::string> chosen(ids.begin(), ids.end());
    BlockFragment fragment;
    for (const engine::Block& block : graph.blocks())
        if (chosen.count(block.id))
            fragment.blocks.push_back(block);
    for (const engine::Connection& connection : graph.connections())
        if (chosen.count(connection.from.block) && chosen.count(connection.to.block))
            fragment.connections.push_back(connection);
    std::vector<std::string> types;
    for (const engine::Block& block : fragment.blocks)
        types.push_back(block.type);
    fragment.composites = engine::compositeClosure(graph, types);
    return fragment;
}

QByteArray encodeFragment(const BlockFragment& fragment)
{
    return QByteArray::fromStdString(engine::serializeFragment(fragment));
}

bool sameComposite(const engine::CompositeDefinition& a, const engine::CompositeDefinition& b)
{
    return engine::sameCompositeDefinition(a, b);
}

BlockFragment decodeFragment(const QByteArray& json, const engine::Graph& receiving)
{
    return engine::parseFragment(std::string_view(json.constData(), static_cast<size_t>(json.size())), receiving);
}

} // namespace netdraft::editor
