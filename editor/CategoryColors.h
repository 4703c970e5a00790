#pragma once
// One colour per layer category (Netron-style), chosen to carry white text legibly.

#include <QColor>
#include <QIcon>
#include <QString>

#include <string>

namespace netdraft::engine {
class Graph;
}

namespace netdraft::editor {

/// Composite (reusable) blocks: emerald, apart from every layer category.
inline const QColor kCompositeColor { 0x04, 0x78, 0x57 };

/// The header colour of blocks of `category` (engine::category names); grey for unknown ones.
QColor categoryColor(const std::string& category);
/// The colour of blocks of layer `type` (kCompositeColor for the composite types of `definitions`).
QColor layerTypeColor(const std::string& type, const engine::Graph& definitions);
/// A small rounded swatch of the category's colour, for lists and trees.
QIcon categoryIcon(const std::string& category);

} // namespace netdraft::editor
