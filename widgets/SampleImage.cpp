#include "widgets/SampleImage.h"

#include <QListWidget>

namespace netdraft::widgets {

QImage sampleImage(const engine::PreviewSample& sample, const std::vector<int64_t>& shape)
{
    const int channels = static_cast<int>(shape[0]);
    const int height = static_cast<int>(shape[1]);
    const int width = static_cast<int>(shape[2]);
    QImage image(width, height, QImage::Format_RGB32);
    const size_t plane = static_cast<size_t>(height) * width;
    if (sample.pixels.size() < plane * channels)
        return {};
    for (int y = 0; y < height; ++y) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int x = 0; x < width; ++x) {
            const size_t at = static_cast<size_t>(y) * width + x;
            const uint8_t r = sample.pixels[at];
            const uint8_t g = channels == 3 ? sample.pixels[plane + at] : r;
            const uint8_t b = channels == 3 ? sample.pixels[2 * plane + at] : r;
            line[x] = qRgb(r, g, b);
        }
    }
    return image.scaled(kThumbnailSize, kThumbnailSize, Qt::KeepAspectRatio,
        width < kThumbnailSize ? Qt::FastTransformation : Qt::SmoothTransformation);
}

void makeThumbnailGrid(QListWidget* list, int captionLines)
{
    list->setViewMode(QListView::IconMode);
    list->setIconSize(QSize(kThumbnailSize, kThumbnailSize));
    list->setGridSize(QSize(kThumbnailSize + 60, kThumbnailSize + 10 + 16 * captionLines));
    list->setResizeMode(QListView::Adjust);
    list->setMovement(QListView::Static);
    list->setWordWrap(true);
    list->setSelectionMode(QAbstractItemView::NoSelection);
}

} // namespace netdraft::widgets
