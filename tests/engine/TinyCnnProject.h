#pragma once
// A tiny convolutional classifier on a small Shapes dataset, for the block viewer and Grad-CAM tests.

#include "engine/project/Project.h"

namespace netdraft::tests {

/// Input(3×32×32) → conv1 (Conv2d 3→4, 3×3, stride 2, padding 1) → relu1 → conv2 "features" (Conv2d
/// 4→6, 3×3, stride 2, padding 1) → relu2 → flat (Flatten) → fc (Linear 384→10) → Output, on 200
/// generated Shapes samples (20 of them test samples), seed 11.
engine::Project tinyCnnProject();

} // namespace netdraft::tests
