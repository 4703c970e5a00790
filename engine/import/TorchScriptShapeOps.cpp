// Reshaping ops of a TorchScript graph as blocks: Permute, Transpose, Select, Slice, Squeeze, Unsqueeze
// and Upsample. Netdraft's blocks keep the batch first, so an op that moves or indexes the batch has
// none, except x.transpose(0, 1) of a sequence, which the recurrent ops read as time-first.

#include "engine/import/RecurrentLastStep.h"
#include "engine/import/TorchScriptOpContext.h"

#include <algorithm>
#include <limits>

namespace netdraft::engine {

namespace {

using torch::jit::Node;

bool permute(Node* node, ImportedOp& op, TorchScriptOpContext& context)
{
    const int rank = context.rankOf(context.input(op, node->input(0)));
    IntList dims = context.integers(node->input(1), "dims");
    for (int64_t& dim : dims)
        dim = TorchScriptOpContext::resolved(dim, rank);
    if (dims.empty() || dims.front() != 0)
        throw UnmappedOp { "a permutation that moves the batch dimension has no block" };
    op.layerType = "Permute";
    op.params["dims"] = IntList(dims.begin() + 1, dims.end());
    context.setOutputRank(rank);
    return true;
}

bool transpose(Node* node, ImportedOp& op, TorchScriptOpContext& context)
{
    ImportedOp probe;
    const int rank = context.rankOf(context.input(probe, node->input(0)));
    int64_t first = TorchScriptOpContext::resolved(context.integer(node->input(1), "dim0"), rank);
    int64_t second = TorchScriptOpContext::resolved(context.integer(node->input(2), "dim1"), rank);
    if (std::min(first, second) == 0) {
        // A sequence N×T×C made time-first for a recurrent module (batch_first=False)
        if (rank == 3 && std::max(first, second) == 1) {
            context.alias(node->output(0), node->input(0), !context.timeFirst(node->input(0)));
            return true;
        }
        throw UnmappedOp { "swapping the batch dimension with another has no block" };
    }
    if (context.timeFirst(node->input(0)))
        throw UnmappedOp { "its input has time first and the batch second, which no block reads" };
    op.inputs = probe.inputs;
    op.layerType = "Transpose";
    op.params["dim0"] = first;
    op.params["dim1"] = second;
    context.setOutputRank(rank);
    return true;
}

/// x[:, index] and x[-1] of a time-first sequence; the last step of a recurrent op's sequence read by
/// nothing else becomes its output 'last' (foldLastTimeSteps).
bool select(Node* node, ImportedOp& op, TorchScriptOpContext& context)
{
    const bool timeFirst = context.timeFirst(node->input(0));
    const int rank = context.rankOf(context.input(op, node->input(0)));
    int64_t dim = TorchScriptOpContext::resolved(context.integer(node->input(1), "dim"), rank);
    if (timeFirst && dim <= 1)
        dim = 1 - dim; // the op reads the batch-first sequence
    const int64_t index = context.integer(node->input(2), "index");
    if (dim == 0) {
        // out[-1] of a recurrent block that runs time first (batch_first=False on a time-first input):
        // foldLastTimeSteps makes it the block's output 'last'.
        const int from = op.inputs.back();
        if (from < 0 || !isRecurrentOp(context.mappedOp(from)) || timeDimensionOf(context.mappedOp(from)) != 0)
            throw UnmappedOp { "selecting one sample of the batch has no block" };
        if (index != -1)
            throw UnmappedOp { "only the last step (out[-1]) of a time-first recurrent output has a block (its "
                               "output 'last')" };
    }
    op.layerType = "Select";
    op.params["dim"] = dim;
    op.params["index"] = index;
    context.setOutputRank(rank - 1);
    return true;
}

/// x[:, start:end:step]; the whole range (x[:] as in x[:, -1]) is no op at all.
bool slice(Node* node, ImportedOp& op, TorchScriptOpContext& context)
{
    const bool timeFirst = context.timeFirst(node->input(0));
    const int64_t start = context.isNone(node->input(2)) ? 0 : context.integer(node->input(2), "start");
    const bool toEnd = context.isNone(node->input(3))
        || context.integer(node->input(3), "end") == std::numeric_limits<int64_t>::max();
    const int64_t step = context.integer(node->input(4), "step");
    if (start == 0 && toEnd && step == 1) {
        context.alias(node->output(0), node->input(0), timeFirst);
        return true;
    }
    if (timeFirst)
        throw UnmappedOp { "its input has time first and the batch second, which no block reads" };
    const int rank = context.rankOf(context.input(op, node->input(0)));
    const int64_t dim = TorchScriptOpContext::resolved(context.integer(node->input(1), "dim"), rank);
    if (dim == 0)
        throw UnmappedOp { "slicing the batch has no block" };
    op.layerType = "Slice";
    op.params["dim"] = dim;
    op.params["start"] = start;
    if (!toEnd)
        op.params["end"] = context.integer(node->input(3), "end");
    op.params["step"] = step;
    context.setOutputRank(rank);
    return true;
}

/// squeeze(x, dim) and unsqueeze(x, dim): one dimension after the batch.
bool squeeze(const std::string& kind, Node* node, ImportedOp& op, TorchScriptOpContext& context)
{
    const bool adds = kind == "aten::unsqueeze";
    const int rank = context.rankOf(context.input(op, node->input(0)));
    if (node->inputs().size() < 2)
        throw UnmappedOp { "squeezing every dimension of size 1 has no block; give the dimension" };
    const int64_t dim = TorchScriptOpContext::resolved(context.integer(node->input(1), "dim"), adds ? rank + 1 : rank);
    if (dim <= 0)
        throw UnmappedOp { "the batch dimension cannot be squeezed or unsqueezed by a block" };
    op.layerType = adds ? "Unsqueeze" : "Squeeze";
    op.params["dim"] = dim;
    context.setOutputRank(adds ? rank + 1 : rank - 1);
    return true;
}

/// upsample_nearest2d(x, output_size, scale_factors) and upsample_bilinear2d(x, output_size,
/// align_corners, scale_factors), or their overloads with scales_h and scales_w.
bool upsample(const std::string& kind, Node* node, ImportedOp& op, TorchScriptOpContext& context)
{
    const bool bilinear = kind == "aten::upsample_bilinear2d";
    context.input(op, node->input(0));
    op.layerType = "Upsample";
    op.params["mode"] = std::string(bilinear ? "bilinear" : "nearest");
    if (bilinear)
        op.params["align_corners"] = context.flag(node->input(2), "align_corners");
    const size_t scales = bilinear ? 3 : 2;
    if (!context.isNone(node->input(1))) {
        op.params["size"] = context.integers(node->input(1), "output_size");
    } else {
        std::vector<double> factors;
        if (node->inputs().size() == scales + 1) {
            const c10::IValue list = context.constant(node->input(scales), "scale_factors");
            if (!list.isDoubleList())
                throw UnmappedOp { "scale_factors is not a list of numbers" };
            const auto values = list.toDoubleVector();
            factors.assign(values.begin(), values.end());
        } else {
            factors
                = { context.real(node->input(scales), "scales_h"), context.real(node->input(scales + 1), "scales_w") };
        }
        if (factors.size() != 2 || factors[0] != factors[1])
            throw UnmappedOp { "different scale factors for height and width have no block parameter" };
        op.params["scale_factor"] = factors[0];
    }
    context.setOutputRank(4);
    return true;
}

} // namespace

bool mapShapeOp(const std::string& kind, Node* node, ImportedOp& op, TorchScriptOpContext& context)
{
    if (kind == "aten::permute")
        return permute(node, op, context);
    if (kind == "aten::transpose")
        return transpose(node, op, context);
    if (kind == "aten::t" || kind == "aten::numpy_T")
        throw UnmappedOp { "transposing a matrix of samples moves the batch dimension, which no block does" };
    if (kind == "aten::select")
        return select(node, op, context);
    if (kind == "aten::slice")
        return slice(node, op, context);
    if (kind == "aten::squeeze" || kind == "aten::unsqueeze")
        return squeeze(kind, node, op, context);
    if (kind == "aten::upsample_nearest2d" || kind == "aten::upsample_bilinear2d")
        return upsample(kind, node, op, context);
    return false;
}

} // namespace netdraft::engine
