#include "engine/export/PythonNames.h"

#include <set>

namespace netdraft::engine {

namespace {

/// Names the generated forward code uses itself; a block id equal to one gets a trailing underscore.
const std::set<std::string>& reservedNames()
{
    static const std::set<std::string> names{"self", "x", "torch", "nn", "F", "Tensor", "List", "Optional", "math"};
    return names;
}

} // namespace

bool isPythonKeyword(const std::string& name)
{
    static const std::set<std::string> keywords{
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
        "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
        "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield"};
    return keywords.count(name) > 0;
}

std::string selfAttribute(const std::string& name)
{
    return isPythonKeyword(name) ? "getattr(self, \"" + name + "\")" : "self." + name;
}

std::vector<std::string> pythonVariables(const CompiledNetwork& network)
{
    std::set<std::string> taken(reservedNames());
    for (const Block& block : network.graph().blocks())
        taken.insert(block.id);
    std::vector<std::string> variables;
    for (const NetworkStep& step : network.steps()) {
        std::string variable = step.id();
        if (isPythonKeyword(variable) || reservedNames().count(variable)) {
            do
                variable += "_";
            while (taken.count(variable));
            taken.insert(variable);
        }
        variables.push_back(std::move(variable));
    }
    return variables;
}

std::string pythonInput(const CompiledNetwork& network, const std::vector<std::string>& variables,
    const NetworkStep& step, size_t port)
{
    const size_t source = step.inputSteps.at(port);
    if (!network.steps().at(source).type->description().variadicOutputs())
        return variables.at(source);
    return variables.at(source) + "[" + std::to_string(step.inputOutputs.at(port)) + "]";
}

} // namespace netdraft::engine
