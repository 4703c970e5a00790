// Chunk: cuts one dimension into a number of (nearly) equal pieces, one output port per piece.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/DimensionParam.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

LayerDescription chunkDescription()
{
    LayerDescription description { "Chunk", "Chunk", category::kReshape,
        "Cuts one dimension into chunks pieces of equal size, one output port per piece (out1, out2, ...), "
        "e.g. the two halves of a gated unit. As torch.chunk: each piece has the size rounded up and the last "
        "takes the rest, so 10 into 3 gives 4, 4 and 2; a size that cannot make exactly chunks pieces is an "
        "error (use Split with explicit sizes).",
        { ParamSpec::integer("chunks", 2).min(1).max(64).onBlock().help(
              "Number of pieces, one output port each."),
            ParamSpec::integer("dim", 1).onBlock().help(
                "Dimension to cut (1 or higher; the batch is 0); negative values count from the end.") } };
    description.outputCountParam = "chunks";
    return description;
}

class ChunkLayer : public LayerType {
public:
    ChunkLayer() : LayerType(chunkDescription()) {}

    void inferShape(InferenceContext& context) const override
    {
        const auto dim = resolveDimension(context, "dim", false);
        if (!dim)
            return;
        const Shape& input = context.input();
        const int64_t chunks = context.params().integer("chunks");
        const IntList sizes = pieceSizes(input[*dim], chunks);
        if (static_cast<int64_t>(sizes.size()) != chunks) {
            context.error("chunks " + std::to_string(chunks) + " cannot cut size " + std::to_string(input[*dim])
                + " of dim " + std::to_string(*dim) + " (" + input.toString() + ") into " + std::to_string(chunks)
                + " pieces: torch.chunk gives " + std::to_string(sizes.size()) + " (" + python::list(sizes)
                + "); use Split with explicit sizes");
            return;
        }
        std::vector<Shape> outputs;
        for (int64_t size : sizes) {
            std::vector<int64_t> dims = input.dims();
            dims[*dim] = size;
            outputs.emplace_back(dims);
        }
        context.setOutputs(std::move(outputs));
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const int64_t chunks = context.params.integer("chunks");
        const int64_t dim = context.params.integer("dim");
        BuiltBlock built;
        built.forwardOutputs = [chunks, dim](const std::vector<torch::Tensor>& in) { return in[0].chunk(chunks, dim); };
        return built;
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        return PythonCode { {},
            "torch.chunk(" + python::firstInput(inputs) + ", " + std::to_string(context.params.integer("chunks"))
                + ", dim=" + std::to_string(context.params.integer("dim")) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        return "return torch.chunk(x0, " + std::to_string(context.params.integer("chunks")) + ", "
            + std::to_string(context.params.integer("dim")) + ")";
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const Shape& input = context.inputs.at(0);
        const int64_t dim = context.params.integer("dim");
        const IntList sizes = pieceSizes(input[dim < 0 ? dim + input.rank() : dim], context.params.integer("chunks"));
        onnx.node("Split", { onnx.inputs().at(0), onnx.ints("sizes", sizes) }, onnx.outputs(), { { "axis", dim } });
        return true;
    }

private:
    /// The pieces torch.chunk makes of `size`: ceil(size / chunks) each, the last one smaller.
    static IntList pieceSizes(int64_t size, int64_t chunks)
    {
        const int64_t each = (size + chunks - 1) / chunks;
        IntList sizes;
        for (int64_t left = size; left > 0 && each > 0; left -= each)
            sizes.push_back(std::min(each, left));
        return sizes;
    }
};

NETDRAFT_REGISTER_LAYER(ChunkLayer);

} // namespace
} // namespace netdraft::engine
