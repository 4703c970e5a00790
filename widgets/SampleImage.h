#pragma once
// Dataset samples as pictures: the thumbnails of the dataset preview and of the prediction gallery.

#include "engine/data/DatasetPreview.h"

#include <QImage>

#include <cstdint>
#include <vector>

class QListWidget;

namespace netdraft::widgets {

inline constexpr int kThumbnailSize = 64;

/// The C×H×W (C = 1 or 3) pixels of `sample` scaled to fit kThumbnailSize; small images are enlarged
/// without smoothing so that their pixels stay visible.
QImage sampleImage(const engine::PreviewSample& sample, const std::vector<int64_t>& shape);

/// Makes `list` a static grid of thumbnails with a caption under each.
void makeThumbnailGrid(QListWidget* list, int captionLines = 1);

} // namespace netdraft::widgets
