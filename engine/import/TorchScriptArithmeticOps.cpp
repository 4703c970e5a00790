// Arithmetic ops of a TorchScript graph as blocks: with another tensor Add, Subtract, Multiply and
// Divide; with a constant number (x * self.scale, x / 2, x - 1) one Scale block (x · scale + bias);
// matrix products (MatMul); mean, sum and amax over dimensions after the batch.

#include "engine/import/TorchScriptOpContext.h"

#include <algorithm>

namespace netdraft::engine {

namespace {

using torch::jit::Node;
using torch::jit::Value;

/// `value` as a constant number (a Python number, or a traced one as a one-value constant tensor).
std::optional<double> constantNumber(const Value* value, TorchScriptOpContext& context)
{
    std::optional<c10::IValue> found = context.scalar(value);
    if (!found)
        return std::nullopt;
    if (found->isDouble())
        return found->toDouble();
    if (found->isInt())
        return static_cast<double>(found->toInt());
    if (found->isTensor()) {
        if (found->toTensor().numel() != 1)
            throw UnmappedOp { "with a constant tensor of " + std::to_string(found->toTensor().numel())
                + " values; only one number or another input has a block" };
        return found->toTensor().item<double>();
    }
    throw UnmappedOp { "with a constant that is not a number" };
}

bool scale(ImportedOp& op, const Value* input, double factor, double bias, TorchScriptOpContext& context)
{
    op.layerType = "Scale";
    op.params["scale"] = factor;
    op.params["bias"] = bias;
    context.setOutputRank(context.rankOf(context.input(op, input)));
    return true;
}

bool twoInputs(const char* type, Node* node, ImportedOp& op, TorchScriptOpContext& context)
{
    op.layerType = type;
    const int first = context.input(op, node->input(0));
    const int second = context.input(op, node->input(1));
    if (std::string(type) == "Add" || std::string(type) == "Multiply")
        op.params["num_inputs"] = int64_t(2);
    context.setOutputRank(std::max(context.rankOf(first), context.rankOf(second)));
    return true;
}

/// add/sub(x, y, alpha), rsub(x, y, alpha) = y - alpha·x, mul(x, y), div(x, y[, rounding_mode]).
bool elementwise(const std::string& kind, Node* node, ImportedOp& op, TorchScriptOpContext& context)
{
    const bool hasAlpha = kind != "aten::mul" && kind != "aten::div" && node->inputs().size() > 2;
    const double alpha = hasAlpha ? context.real(node->input(2), "alpha") : 1.0;
    if (kind == "aten::div" && node->inputs().size() > 2 && !context.isNone(node->input(2)))
        throw UnmappedOp { "division with a rounding mode has no block" };
    const std::optional<double> second = constantNumber(node->input(1), context);
    const bool commutes = kind == "aten::add" || kind == "aten::mul";
    const std::optional<double> first
        = !second && commutes && !hasAlpha ? constantNumber(node->input(0), context) : std::nullopt;
    if (second || first) {
        const double c = second ? *second : *first;
        const Value* x = node->input(second ? 0 : 1);
        if (kind == "aten::add")
            return scale(op, x, 1.0, alpha * c, context);
        if (kind == "aten::sub")
            return scale(op, x, 1.0, -alpha * c, context);
        if (kind == "aten::rsub")
            return scale(op, x, -alpha, c, context);
        if (kind == "aten::mul")
            return scale(op, x, c, 0.0, context);
        if (c == 0.0)
            throw UnmappedOp { "division by the constant 0" };
        return scale(op, x, 1.0 / c, 0.0, context);
    }
    for (const Value* operand : node->inputs().slice(0, 2))
        if (!operand->type()->isSubtypeOf(*c10::TensorType::get()))
            throw UnmappedOp { "with a number computed while running; only a constant number has a block" };
    if (alpha != 1.0)
        throw UnmappedOp { "alpha other than 1 has no block parameter" };
    if (kind == "aten::rsub")
        throw UnmappedOp { "reversed subtraction of two tensors has no block" };
    return twoInputs(kind == "aten::add" ? "Add"
            : kind == "aten::sub"        ? "Subtract"
            : kind == "aten::mul"        ? "Multiply"
                                         : "Divide",
        node, op, context);
}

/// mean/sum(x, dims, keepdim, dtype), amax(x, dims, keepdim). The mean over height and width of
/// N×C×H×W (torchvision's pooling written as x.mean([2, 3])) is a GlobalAvgPool.
bool reduction(const std::string& kind, Node* node, ImportedOp& op, TorchScriptOpContext& context)
{
    if (node->inputs().size() < 3)
        throw UnmappedOp { "a reduction over every dimension (the batch too) has no block; give dims" };
    const int rank = context.rankOf(context.input(op, node->input(0)));
    IntList dims = context.integers(node->input(1), "dim");
    const bool keepdim = context.flag(node->input(2), "keepdim");
    if (kind != "aten::amax" && node->inputs().size() > 3 && !context.isNone(node->input(3)))
        throw UnmappedOp { "a dtype argument has no block parameter" };
    IntList sorted = dims;
    for (int64_t& dim : sorted)
        dim = TorchScriptOpContext::resolved(dim, rank);
    std::sort(sorted.begin(), sorted.end());
    if (dims.empty() || sorted.front() <= 0)
        throw UnmappedOp { "a reduction over the batch dimension has no block" };
    if (kind == "aten::mean" && rank == 4 && sorted == IntList { 2, 3 } && !keepdim) {
        op.layerType = "GlobalAvgPool";
        context.setOutputRank(2);
        return true;
    }
    op.layerType = kind == "aten::mean" ? "Mean" : kind == "aten::sum" ? "Sum" : "Max";
    op.params["dims"] = dims;
    op.params["keepdim"] = keepdim;
    context.setOutputRank(keepdim ? rank : rank - static_cast<int>(dims.size()));
    return true;
}

} // namespace

bool mapArithmeticOp(const std::string& kind, Node* node, ImportedOp& op, TorchScriptOpContext& context)
{
    if (kind == "aten::add" || kind == "aten::sub" || kind == "aten::rsub" || kind == "aten::mul"
        || kind == "aten::div")
        return elementwise(kind, node, op, context);
    if (kind == "aten::matmul" || kind == "aten::bmm")
        return twoInputs("MatMul", node, op, context);
    if (kind == "aten::mean" || kind == "aten::sum" || kind == "aten::amax")
        return reduction(kind, node, op, context);
    return false;
}

} // namespace netdraft::engine
