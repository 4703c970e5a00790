// Split: cuts one dimension into pieces of given sizes, one output port per piece.

#include "engine/layers/LayerRegistry.h"
#include "engine/layers/PiecesLayer.h"
#include "engine/layers/PythonFormat.h"

#include <numeric>

namespace netdraft::engine {
namespace {

class SplitLayer : public PiecesLayer {
public:
    SplitLayer()
        : PiecesLayer("Split",
            "Cuts one dimension into pieces of the given sizes, one output port per piece (out1, out2, ...), "
            "e.g. the 3·C features of one Linear into query, key and value with sizes [C, C, C]. The sizes must "
            "add up to the size of dim. For equal pieces see Chunk.",
            ParamSpec::intList("sizes", { 1, 1 })
                .min(1)
                .onBlock()
                .help("Size of each piece along dim, one output port each; they must add up to the size of dim."),
            "split", "split_with_sizes")
    {
    }

protected:
    IntList pieceSizes(const ParamReader& params, int64_t) const override { return params.list("sizes"); }

    bool checkPieces(InferenceContext& context, const Shape& input, int64_t dim, const IntList& sizes) const override
    {
        const int64_t total = std::accumulate(sizes.begin(), sizes.end(), int64_t(0));
        if (total == input[dim])
            return true;
        context.error("sizes " + python::list(sizes) + " add up to " + std::to_string(total) + " but dim "
            + std::to_string(dim) + " of " + input.toString() + " has size " + std::to_string(input[dim]));
        return false;
    }
};

NETDRAFT_REGISTER_LAYER(SplitLayer);

} // namespace
} // namespace netdraft::engine
