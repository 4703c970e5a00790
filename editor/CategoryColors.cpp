#include "editor/CategoryColors.h"

#include "editor/BlockGeometry.h"
#include "engine/layers/LayerRegistry.h"

#include <QPainter>
#include <QPixmap>

#include <map>

namespace netdraft::editor {

QColor categoryColor(const std::string& category)
{
    namespace c = engine::category;
    // Tailwind 600/700 shades: distinct hues, each dark enough for white text (contrast >= 4.5).
    static const std::map<std::string, QColor> colors {
        { c::kInputOutput, QColor(0x47, 0x55, 0x69) }, // slate
        { c::kConvolution, QColor(0x25, 0x63, 0xEB) }, // blue
        { c::kPooling, QColor(0x08, 0x91, 0xB2) }, // cyan
        { c::kLinear, QColor(0x7C, 0x3A, 0xED) }, // violet
        { c::kNormalization, QColor(0x0F, 0x76, 0x6E) }, // teal
        { c::kActivation, QColor(0xC2, 0x41, 0x0C) }, // orange
        { c::kRegularization, QColor(0xBE, 0x18, 0x5D) }, // pink
        { c::kRecurrent, QColor(0x43, 0x38, 0xCA) }, // indigo
        { c::kReshape, QColor(0x4D, 0x7C, 0x0F) }, // lime
        { c::kMerge, QColor(0xA1, 0x62, 0x07) }, // amber
        { c::kEmbedding, QColor(0x93, 0x33, 0xEA) }, // purple
        { c::kArithmetic, QColor(0xB9, 0x1C, 0x1C) }, // red
        { c::kAttention, QColor(0xA2, 0x1C, 0xAF) }, // fuchsia
    };
    if (category == "Composite")
        return kCompositeColor;
    auto it = colors.find(category);
    return it == colors.end() ? QColor(0x6B, 0x72, 0x80) : it->second;
}

QColor layerTypeColor(const std::string& type, const engine::Graph& definitions)
{
    const engine::LayerType* layer = engine::LayerRegistry::instance().find(type);
    if (!layer && geometry::isCompositeType(type, definitions))
        return kCompositeColor;
    return categoryColor(layer ? layer->description().category : std::string());
}

QIcon categoryIcon(const std::string& category)
{
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(categoryColor(category));
    painter.drawRoundedRect(QRectF(1, 1, 10, 10), 2.5, 2.5);
    return QIcon(pixmap);
}

} // namespace netdraft::editor
