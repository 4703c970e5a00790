#pragma once
// One sample of an in-memory dataset as plain values (engine-internal: takes LibTorch types).

#include "engine/data/Dataset.h"
#include "engine/data/DatasetPreview.h"

namespace netdraft::engine {

/// uint8 C×H×W samples with 1 or 3 channels: shown as pictures.
bool holdsImages(const InMemoryDataset& data);

/// Sample `index`: its pixels (images) or first values, and its label.
PreviewSample previewSample(const InMemoryDataset& data, int64_t index);

} // namespace netdraft::engine
