#pragma once
// Grad-CAM heat maps as pictures: the "jet" colour scale (blue: no evidence, red: the most) laid over
// the sample, for the CLI's PNG and the app's Grad-CAM window.

#include "engine/insight/BlockViewerImage.h"
#include "engine/insight/GradCam.h"

namespace netdraft::engine {

/// The colour of a heat value in [0, 1] on the jet scale.
void jetColour(float value, uint8_t& r, uint8_t& g, uint8_t& b);

/// The heat map alone in jet colours, each pixel enlarged `scale` times.
RgbImage gradCamHeat(const GradCamMap& map, int scale = 1);
/// The sample with the heat map laid over it (half and half), each pixel enlarged `scale` times.
RgbImage gradCamOverlay(const GradCamMap& map, const std::vector<int64_t>& sampleShape, int scale = 1);
/// Sample, heat map and overlay side by side, with the jet scale as a strip under them: what
/// `netdraft-cli gradcam` writes.
RgbImage gradCamPicture(const GradCamMap& map, const std::vector<int64_t>& sampleShape, int scale);

} // namespace netdraft::engine
