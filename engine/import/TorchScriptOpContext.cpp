#include "engine/import/TorchScriptOpContext.h"

namespace netdraft::engine {

c10::IValue TorchScriptOpContext::constant(const torch::jit::Value* value, const char* what)
{
    std::optional<c10::IValue> found = scalar(value);
    if (!found)
        throw UnmappedOp { std::string(what) + " is computed while running, not a constant" };
    return *found;
}

int64_t TorchScriptOpContext::integer(const torch::jit::Value* value, const char* what)
{
    const c10::IValue found = constant(value, what);
    if (!found.isInt())
        throw UnmappedOp { std::string(what) + " is not an integer" };
    return found.toInt();
}

double TorchScriptOpContext::real(const torch::jit::Value* value, const char* what)
{
    const c10::IValue found = constant(value, what);
    if (found.isDouble())
        return found.toDouble();
    if (found.isInt())
        return static_cast<double>(found.toInt());
    // A traced Python number becomes a constant tensor of one value.
    if (found.isTensor() && found.toTensor().numel() == 1)
        return found.toTensor().item<double>();
    throw UnmappedOp { std::string(what) + " is not a number" };
}

bool TorchScriptOpContext::flag(const torch::jit::Value* value, const char* what)
{
    const c10::IValue found = constant(value, what);
    if (!found.isBool())
        throw UnmappedOp { std::string(what) + " is not true or false" };
    return found.toBool();
}

IntList TorchScriptOpContext::integers(const torch::jit::Value* value, const char* what)
{
    const c10::IValue found = constant(value, what);
    if (found.isInt())
        return { found.toInt() };
    if (!found.isIntList())
        throw UnmappedOp { std::string(what) + " is not a list of integers" };
    const auto list = found.toIntVector();
    return IntList(list.begin(), list.end());
}

bool TorchScriptOpContext::isNone(const torch::jit::Value* value)
{
    std::optional<c10::IValue> found = scalar(value);
    return found && found->isNone();
}

} // namespace netdraft::engine
