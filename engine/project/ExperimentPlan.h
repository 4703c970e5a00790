#pragma once
// An experiment saved with its project, as the user wrote it ("training.learning_rate=0.1,0.01").
// engine/experiment parses and checks it against the project when it runs; this layer only keeps the
// words, so the project format needs nothing from the experiment code.

#include <cstdint>
#include <string>
#include <vector>

namespace netdraft::engine {

struct ExperimentPlan {
    /// Varied keys with their values, "KEY=VALUE,VALUE,…": every combination, or a random draw.
    std::vector<std::string> grid;
    /// Explicit trials instead of a grid, "KEY=VALUE;KEY=VALUE".
    std::vector<std::string> trials;
    int64_t randomTrials = 0; ///< > 0: that many distinct combinations of the grid, drawn with `seed`
    int64_t seed = 0;
    int64_t parallel = 1; ///< trials trained at once, each in its own process
    /// Median stopping rule: from this epoch on a trial worse than the median of the completed ones
    /// stops (0 = off), once `pruneMinTrials` trials completed.
    int64_t pruneAfter = 0;
    int64_t pruneMinTrials = 3;

    /// Nothing to run: no grid and no trials (the project has no saved experiment).
    bool empty() const { return grid.empty() && trials.empty(); }
    bool operator==(const ExperimentPlan& other) const
    {
        return grid == other.grid && trials == other.trials && randomTrials == other.randomTrials
            && seed == other.seed && parallel == other.parallel && pruneAfter == other.pruneAfter
            && pruneMinTrials == other.pruneMinTrials;
    }
};

} // namespace netdraft::engine
