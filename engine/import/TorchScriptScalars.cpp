#include "engine/import/TorchScriptScalars.h"

#include <torch/csrc/jit/ir/constants.h>

#include <cmath>
#include <set>

namespace netdraft::engine {

using torch::jit::Node;
using torch::jit::Value;

TorchScriptScalars::TorchScriptScalars(
    std::function<int(const Value*)> rankOf, std::function<std::optional<int64_t>(const Value*, int64_t)> sizeOf)
    : rankOf_(std::move(rankOf))
    , sizeOf_(std::move(sizeOf))
{
}

std::optional<c10::IValue> TorchScriptScalars::fold(const Value* value)
{
    if (auto known = folded_.find(value); known != folded_.end())
        return known->second;
    if (auto constant = torch::jit::toIValue(value))
        return constant;
    std::optional<c10::IValue> result = foldNode(value);
    if (result) // failures are not kept: what the reader learns later may fold them
        folded_.emplace(value, *result);
    return result;
}

std::optional<size_t> TorchScriptScalars::branchTaken(const Node* node)
{
    std::optional<c10::IValue> condition = fold(node->input(0));
    if (!condition || !condition->isBool())
        return std::nullopt;
    return condition->toBool() ? 0 : 1;
}

std::optional<c10::IValue> TorchScriptScalars::foldNode(const Value* value)
{
    const Node* node = value->node();
    const c10::Symbol kind = node->kind();
    if (kind == c10::aten::dim) {
        const int rank = rankOf_(node->input(0));
        return rank > 0 ? std::optional<c10::IValue>(int64_t(rank)) : std::nullopt;
    }
    if (kind == c10::aten::size && node->inputs().size() == 2)
        return sizeAt(node->input(0), fold(node->input(1)));
    // b, t, c = x.size() and x.size()[1]: one size of the list of all
    const bool unpacked = kind == c10::prim::ListUnpack;
    if ((unpacked || (kind == c10::aten::__getitem__ && node->inputs().size() == 2))
        && node->input(0)->node()->kind() == c10::aten::size && node->input(0)->node()->inputs().size() == 1)
        return sizeAt(node->input(0)->node()->input(0),
            unpacked ? std::optional<c10::IValue>(static_cast<int64_t>(value->offset())) : fold(node->input(1)));
    if (kind == c10::aten::Int || kind == c10::prim::NumToTensor || kind == c10::aten::ScalarImplicit)
        return fold(node->input(0));
    if (kind == c10::prim::If) {
        std::optional<size_t> branch = branchTaken(node);
        if (!branch)
            return std::nullopt;
        const size_t index = value->offset();
        return fold(node->blocks()[*branch]->outputs()[index]);
    }
    if (kind == c10::prim::ListConstruct)
        return node->inputs().empty() ? foldAppendedList(value) : foldList(node);
    if (kind == c10::aten::len) {
        std::optional<c10::IValue> list = fold(node->input(0));
        if (list && list->isList())
            return c10::IValue(static_cast<int64_t>(list->toListRef().size()));
        return std::nullopt;
    }
    if (kind == c10::aten::__not__) {
        std::optional<c10::IValue> operand = fold(node->input(0));
        return operand && operand->isBool() ? std::optional<c10::IValue>(!operand->toBool()) : std::nullopt;
    }
    if (auto comparison = foldComparison(node))
        return comparison;
    return foldArithmetic(node);
}

std::optional<c10::IValue> TorchScriptScalars::sizeAt(const Value* tensor, const std::optional<c10::IValue>& dim)
{
    const int rank = rankOf_(tensor);
    if (!dim || !dim->isInt() || rank == 0)
        return std::nullopt;
    const int64_t index = dim->toInt() < 0 ? dim->toInt() + rank : dim->toInt();
    if (index <= 0 || index >= rank) // the batch size is only known while running
        return std::nullopt;
    if (std::optional<int64_t> size = sizeOf_(tensor, index))
        return c10::IValue(*size);
    return std::nullopt;
}

std::optional<c10::IValue> TorchScriptScalars::foldComparison(const Node* node)
{
    static const std::set<c10::Symbol> comparisons { c10::aten::eq, c10::aten::ne, c10::aten::lt, c10::aten::le,
        c10::aten::gt, c10::aten::ge, c10::aten::__and__, c10::aten::__or__ };
    if (!comparisons.count(node->kind()) || node->inputs().size() != 2
        || !node->output()->type()->isSubtypeOf(*c10::BoolType::get()))
        return std::nullopt;
    std::optional<c10::IValue> a = fold(node->input(0));
    std::optional<c10::IValue> b = fold(node->input(1));
    if (!a || !b)
        return std::nullopt;
    const c10::Symbol kind = node->kind();
    if (kind == c10::aten::__and__ || kind == c10::aten::__or__) {
        if (!a->isBool() || !b->isBool())
            return std::nullopt;
        return c10::IValue(kind == c10::aten::__and__ ? a->toBool() && b->toBool() : a->toBool() || b->toBool());
    }
    if ((a->isIntList() && b->isIntList()) || (a->isBool() && b->isBool()) || (a->isString() && b->isString())) {
        if (kind != c10::aten::eq && kind != c10::aten::ne)
            return std::nullopt;
        const bool equal = *a == *b;
        return c10::IValue(kind == c10::aten::eq ? equal : !equal);
    }
    if (!(a->isInt() || a->isDouble()) || !(b->isInt() || b->isDouble()))
        return std::nullopt;
    const double x = a->isInt() ? static_cast<double>(a->toInt()) : a->toDouble();
    const double y = b->isInt() ? static_cast<double>(b->toInt()) : b->toDouble();
    bool result = false;
    if (kind == c10::aten::eq)
        result = x == y;
    else if (kind == c10::aten::ne)
        result = x != y;
    else if (kind == c10::aten::lt)
        result = x < y;
    else if (kind == c10::aten::le)
        result = x <= y;
    else if (kind == c10::aten::gt)
        result = x > y;
    else
        result = x >= y;
    return c10::IValue(result);
}

std::optional<c10::IValue> TorchScriptScalars::foldArithmetic(const Node* node)
{
    // Python numbers, and (traced) sizes turned into tensors by prim::NumToTensor: c // heads, math.sqrt(d)
    static const std::set<c10::Symbol> binary { c10::aten::add, c10::aten::sub, c10::aten::mul, c10::aten::div,
        c10::aten::floordiv, c10::aten::floor_divide };
    static const std::set<c10::Symbol> unary { c10::aten::sqrt, c10::aten::Float, c10::aten::neg };
    const c10::Symbol kind = node->kind();
    auto number = [](std::optional<c10::IValue>& value) {
        if (value && value->isTensor() && value->toTensor().numel() == 1) { // a traced number: {2}
            const torch::Tensor tensor = value->toTensor();
            value
                = tensor.is_floating_point() ? c10::IValue(tensor.item<double>()) : c10::IValue(tensor.item<int64_t>());
        }
        return value && (value->isInt() || value->isDouble());
    };
    auto real = [](const c10::IValue& value) {
        return value.isInt() ? static_cast<double>(value.toInt()) : value.toDouble();
    };
    if (unary.count(kind) && node->inputs().size() == 1) {
        std::optional<c10::IValue> a = fold(node->input(0));
        if (!number(a))
            return std::nullopt;
        if (kind == c10::aten::neg)
            return a->isInt() ? c10::IValue(-a->toInt()) : c10::IValue(-a->toDouble());
        return c10::IValue(kind == c10::aten::sqrt ? std::sqrt(real(*a)) : real(*a));
    }
    if (!binary.count(kind) || node->inputs().size() < 2 || node->inputs().size() > 3)
        return std::nullopt;
    std::optional<c10::IValue> a = fold(node->input(0));
    std::optional<c10::IValue> b = fold(node->input(1));
    if (!number(a) || !number(b))
        return std::nullopt;
    if (node->inputs().size() == 3) { // add/sub(x, y, alpha) of tensors; div(x, y, rounding_mode)
        std::optional<c10::IValue> third = fold(node->input(2));
        if (!third || !((number(third) && real(*third) == 1.0) || third->isNone()))
            return std::nullopt;
    }
    const bool floors = kind == c10::aten::floordiv || kind == c10::aten::floor_divide;
    if (a->isInt() && b->isInt() && kind != c10::aten::div) {
        const int64_t x = a->toInt(), y = b->toInt();
        if (kind == c10::aten::add)
            return c10::IValue(x + y);
        if (kind == c10::aten::sub)
            return c10::IValue(x - y);
        if (kind == c10::aten::mul)
            return c10::IValue(x * y);
        if (y == 0)
            return std::nullopt;
        const int64_t quotient = x / y;
        return c10::IValue((x % y != 0 && ((x < 0) != (y < 0))) ? quotient - 1 : quotient); // Python's floor
    }
    const double x = real(*a), y = real(*b);
    if (kind == c10::aten::add)
        return c10::IValue(x + y);
    if (kind == c10::aten::sub)
        return c10::IValue(x - y);
    if (kind == c10::aten::mul)
        return c10::IValue(x * y);
    if (y == 0)
        return std::nullopt;
    return c10::IValue(floors ? std::floor(x / y) : x / y);
}

std::optional<c10::IValue> TorchScriptScalars::foldList(const Node* node)
{
    const c10::TypePtr element = node->output()->type()->containedTypes().at(0);
    std::vector<c10::IValue> items;
    for (const Value* input : node->inputs()) {
        std::optional<c10::IValue> item = fold(input);
        if (!item)
            return std::nullopt;
        items.push_back(*item);
    }
    if (element->isSubtypeOf(*c10::IntType::get())) {
        std::vector<int64_t> values;
        for (const c10::IValue& item : items)
            if (item.isInt())
                values.push_back(item.toInt());
            else
                return std::nullopt;
        return c10::IValue(values);
    }
    if (element->isSubtypeOf(*c10::FloatType::get())) {
        std::vector<double> values;
        for (const c10::IValue& item : items)
            if (item.isDouble() || item.isInt())
                values.push_back(item.isDouble() ? item.toDouble() : static_cast<double>(item.toInt()));
            else
                return std::nullopt;
        return c10::IValue(values);
    }
    return std::nullopt;
}

std::optional<c10::IValue> TorchScriptScalars::foldAppendedList(const Value* list)
{
    // scale_factors = []; for _ in range(dim - 2): scale_factors.append(factor)   (F.interpolate)
    const bool floats = list->type()->containedTypes().at(0)->isSubtypeOf(*c10::FloatType::get());
    std::vector<double> values;
    for (const torch::jit::Use& use : list->uses()) {
        const Node* user = use.user;
        if (user->kind() != c10::aten::append)
            continue; // reads of the list come after the loop that fills it
        const Node* loop = user->owningBlock()->owningNode();
        if (!loop || loop->kind() != c10::prim::Loop
            || user->owningBlock()->nodes().begin()->kind() != c10::aten::append)
            return std::nullopt;
        std::optional<c10::IValue> trips = fold(loop->input(0));
        std::optional<c10::IValue> keepGoing = fold(loop->input(1));
        std::optional<c10::IValue> item = fold(user->input(1));
        if (!trips || !trips->isInt() || !keepGoing || !keepGoing->isBool() || !keepGoing->toBool() || !item
            || !(item->isDouble() || item->isInt()))
            return std::nullopt;
        for (int64_t i = 0; i < trips->toInt(); ++i)
            values.push_back(item->isDouble() ? item->toDouble() : static_cast<double>(item->toInt()));
    }
    if (!floats) {
        std::vector<int64_t> integers(values.begin(), values.end());
        return c10::IValue(integers);
    }
    return c10::IValue(values);
}

} // namespace netdraft::engine
