#include "engine/layers/PythonFormat.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace netdraft::engine::python {

std::string boolean(bool value)
{
    return value ? "True" : "False";
}

std::string real(double value)
{
    if (std::isnan(value))
        return "float('nan')";
    if (std::isinf(value))
        return value > 0 ? "float('inf')" : "-float('inf')";
    // The fewest significant digits that read back exactly, as Python's repr does.
    char buffer[40];
    int digits = 1;
    for (; digits < 17; ++digits) {
        std::snprintf(buffer, sizeof buffer, "%.*e", digits - 1, value);
        if (std::strtod(buffer, nullptr) == value)
            break;
    }
    const int exponent = value == 0 ? 0 : static_cast<int>(std::floor(std::log10(std::fabs(value))));
    // Python switches to scientific notation below 1e-4 and from 1e16 on.
    if (exponent < -4 || exponent >= 16) {
        std::snprintf(buffer, sizeof buffer, "%.*e", digits - 1, value);
        return buffer;
    }
    std::snprintf(buffer, sizeof buffer, "%.*f", std::max(0, digits - 1 - exponent), value);
    std::string text = buffer;
    if (text.find('.') == std::string::npos)
        text += ".0";
    return text;
}

namespace {
template <typename List, typename Format> std::string joinFormatted(const List& values, Format format)
{
    std::string text;
    for (size_t i = 0; i < values.size(); ++i)
        text += (i ? ", " : "") + format(values[i]);
    return text;
}

std::string integer(int64_t value)
{
    return std::to_string(value);
}
} // namespace

std::string tuple(const IntList& values)
{
    return "(" + joinFormatted(values, integer) + (values.size() == 1 ? ",)" : ")");
}

std::string list(const IntList& values)
{
    return "[" + joinFormatted(values, integer) + "]";
}

std::string realList(const RealList& values)
{
    return "[" + joinFormatted(values, real) + "]";
}

std::string quoted(const std::string& text)
{
    return "'" + text + "'";
}

std::string join(const std::vector<std::string>& parts, const std::string& separator)
{
    std::string text;
    for (size_t i = 0; i < parts.size(); ++i)
        text += (i ? separator : "") + parts[i];
    return text;
}

std::string operand(const std::string& expression)
{
    // Anything outside brackets other than name characters and dots (an operator, a space) needs parentheses.
    int depth = 0;
    for (char c : expression) {
        if (c == '(' || c == '[')
            ++depth;
        else if (c == ')' || c == ']')
            --depth;
        else if (depth == 0 && !(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'))
            return "(" + expression + ")";
    }
    return expression;
}

std::string firstInput(const std::vector<std::string>& inputs)
{
    return inputs.empty() ? "x" : inputs.front();
}

} // namespace netdraft::engine::python
