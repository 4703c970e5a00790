// Arithmetic ops of a TorchScript graph as blocks: with another tensor Add, Subtract, Multiply and
// Divide; with a constant number (x * 0.5, x / 2, x - 1) one Scale block (x · scale + bias); with a
// tensor of one value per channel (x * self.scale, (x - mean) / std) a ChannelAffine block;
// matrix products (MatMul); mean, sum and amax over dimensions after the batch.

#include "engine/import/ChannelAffineImport.h"
#include "engine/import/ReductionImport.h"
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

/// A tensor the module holds or the graph knows (a parameter: learned; a buffer or constant: fixed);
/// nullopt for a tensor computed while running.
std::optional<std::pair<torch::Tensor, bool>> constantTensor(const Value* value, TorchScriptOpContext& context)
{
    if (!value->type()->isSubtypeOf(*c10::TensorType::get()))
        return std::nullopt;
    if (value->node()->kind() == c10::prim::GetAttr) {
        try {
            torch::Tensor tensor = context.tensorAttribute(value, nullptr);
            const auto owner = value->node()->input(0)->type()->cast<c10::ClassType>();
            const std::string name = value->node()->s(c10::attr::name);
            const bool parameter = owner && owner->hasAttribute(name)
                && owner->is_parameter(owner->getAttributeSlot(name)); // a buffer stays fixed
            return tensor.defined() ? std::optional(std::pair(tensor, parameter)) : std::nullopt;
        } catch (const UnmappedOp&) {
            return std::nullopt;
        }
    }
    std::optional<c10::IValue> found = context.scalar(value);
    if (found && found->isTensor())
        return std::pair(found->toTensor(), false);
    return std::nullopt;
}

/// add/sub/rsub/mul/div of the data and a tensor of one value per channel (x * self.scale, x - mean):
/// a ChannelAffine block. False when no operand is such a tensor.
bool channelArithmetic(const std::string& kind, Node* node, ImportedOp& op, TorchScriptOpContext& context)
{
    std::optional<std::pair<torch::Tensor, bool>> constant = constantTensor(node->input(1), context);
    int dataSide = 0;
    if (!constant || constant->first.numel() <= 1) {
        constant = constantTensor(node->input(0), context);
        dataSide = 1;
    }
    if (!constant || constant->first.numel() <= 1 || constantTensor(node->input(dataSide), context))
        return false;
    const int rank = context.rankOf(context.input(op, node->input(dataSide)));
    const std::optional<torch::Tensor> values = perChannelValues(constant->first, rank);
    if (!values) {
        op.inputs.pop_back();
        return false;
    }
    const bool hasAlpha = kind != "aten::mul" && kind != "aten::div" && node->inputs().size() > 2;
    const double alpha = hasAlpha ? context.real(node->input(2), "alpha") : 1.0;
    const bool learned = constant->second;
    const torch::Tensor one = torch::ones({ 1 }), zero = torch::zeros({ 1 });
    ChannelAffineStep step { one, zero, false, false };
    // add(a, b, alpha) = a + alpha·b, sub = a - alpha·b, rsub = b - alpha·a; x is a when dataSide is 0.
    const bool subtracts = kind == "aten::sub" || kind == "aten::rsub";
    const bool dataScaledByAlpha = (kind == "aten::rsub") == (dataSide == 0);
    if (kind == "aten::add" || subtracts) {
        const double sign = subtracts ? -1.0 : 1.0;
        if (dataScaledByAlpha) { // c ± alpha·x
            step.scale = one * (sign * alpha);
            step.shift = *values;
        } else { // x ± alpha·c
            step.shift = *values * (sign * alpha);
        }
        step.learnShift = learned;
    } else if (kind == "aten::mul") {
        step.scale = *values;
        step.learnScale = learned;
    } else {
        if (dataSide == 1)
            throw UnmappedOp { "a tensor divided by the data has no block" };
        if ((*values == 0).any().item<bool>())
            throw UnmappedOp { "division by a constant tensor with a 0" };
        step.scale = 1 / *values;
        step.learnScale = learned;
    }
    setChannelAffine(op, step);
    context.setOutputRank(rank);
    return true;
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
    if (channelArithmetic(kind, node, op, context))
        return true;
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
    const std::optional<std::string> type = reductionLayerType(
        kind == "aten::mean" ? "mean" : kind == "aten::sum" ? "sum" : "max", rank, dims, keepdim);
    if (!type)
        throw UnmappedOp { kReductionOverTheBatch };
    op.layerType = *type;
    if (op.layerType == "GlobalAvgPool") {
        context.setOutputRank(2);
        return true;
    }
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
