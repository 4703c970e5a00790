#pragma once
// One reported problem: where it is and what is wrong.

#include <string>
#include <vector>

namespace netdraft::engine {

/// A problem found while loading or checking a project. `where` names the place ("block conv3",
/// "graph", "$.graph.blocks[2].params.kernel_size"); `blockId` is set when a block is concerned.
struct Problem {
    enum class Severity { Error, Warning };
    std::string where;
    std::string message;
    std::string blockId;
    Severity severity = Severity::Error;

    /// "block conv3: kernel_size must be >= 1, got 0".
    std::string toString() const { return where.empty() ? message : where + ": " + message; }
    bool isError() const { return severity == Severity::Error; }
};

/// One line per problem.
std::string joinProblems(const std::vector<Problem>& problems);

} // namespace netdraft::engine
