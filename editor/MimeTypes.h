#pragma once
// Mime types shared by the canvas, the clipboard and the palette.

namespace netdraft::editor {

/// Blocks and their connections as JSON (ClipboardFormat), for cut/copy/paste between documents.
inline constexpr const char* kBlocksMimeType = "application/x-netdraft-blocks";
/// A layer type name ("Conv2d") dragged from the palette onto the canvas.
inline constexpr const char* kLayerTypeMimeType = "application/x-netdraft-layer-type";

} // namespace netdraft::editor
