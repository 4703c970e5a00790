// Chunk: cuts one dimension into a number of (nearly) equal pieces, one output port per piece.

#include "engine/layers/LayerRegistry.h"
#include "engine/layers/PiecesLayer.h"
#include "engine/layers/PythonFormat.h"

#include <algorithm>

namespace netdraft::engine {
namespace {

class ChunkLayer : public PiecesLayer {
public:
    ChunkLayer()
        : PiecesLayer("Chunk",
            "Cuts one dimension into chunks pieces of equal size, one output port per piece (out1, out2, ...), "
            "e.g. the two halves of a gated unit. As torch.chunk: each piece has the size rounded up and the last "
            "takes the rest, so 10 into 3 gives 4, 4 and 2; a size that cannot make exactly chunks pieces is an "
            "error (use Split with explicit sizes).",
            ParamSpec::integer("chunks", 2).min(1).max(64).onBlock().help("Number of pieces, one output port each."),
            "chunk", "chunk")
    {
    }

protected:
    /// The pieces torch.chunk makes of `size`: ceil(size / chunks) each, the last one smaller.
    IntList pieceSizes(const ParamReader& params, int64_t size) const override
    {
        const int64_t chunks = params.integer("chunks");
        const int64_t each = (size + chunks - 1) / chunks;
        IntList sizes;
        for (int64_t left = size; left > 0 && each > 0; left -= each)
            sizes.push_back(std::min(each, left));
        return sizes;
    }

    bool checkPieces(InferenceContext& context, const Shape& input, int64_t dim, const IntList& sizes) const override
    {
        const int64_t chunks = context.params().integer("chunks");
        if (static_cast<int64_t>(sizes.size()) == chunks)
            return true;
        context.error("chunks " + std::to_string(chunks) + " cannot cut size " + std::to_string(input[dim]) + " of dim "
            + std::to_string(dim) + " (" + input.toString() + ") into " + std::to_string(chunks)
            + " pieces: torch.chunk gives " + std::to_string(sizes.size()) + " (" + python::list(sizes)
            + "); use Split with explicit sizes");
        return false;
    }
};

NETDRAFT_REGISTER_LAYER(ChunkLayer);

} // namespace
} // namespace netdraft::engine
