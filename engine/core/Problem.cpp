#include "engine/core/Problem.h"

namespace netdraft::engine {

std::string joinProblems(const std::vector<Problem>& problems)
{
    std::string text;
    for (const Problem& problem : problems) {
        if (!text.empty())
            text += '\n';
        text += problem.toString();
    }
    return text;
}

} // namespace netdraft::engine
