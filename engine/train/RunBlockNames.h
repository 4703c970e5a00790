#pragma once
// How a training run names the blocks it reports on (NaN diagnosis, per-block statistics): each step's
// label as messages write it, its layer type, and the canvas block that holds it. LibTorch-free.

#include <map>
#include <string>

namespace netdraft::engine {

class CompiledNetwork;

/// One block as a run's reports name it.
struct RunBlockName {
    std::string label; ///< "Classifier (fc)", or the id alone for an unnamed block
    std::string type; ///< its layer type ("ReLU"); empty when unknown
    std::string canvasId; ///< the top-level block holding it: the composite instance for an inner block
};

/// The names of a network's steps, by the id the network runs them under ("enc1__conv").
class RunBlockNames {
public:
    RunBlockNames() = default;
    /// Every step of `network`: labels from its inference, canvas ids from its composite origins.
    static RunBlockNames of(const CompiledNetwork& network);

    /// The block's names; for an id the network did not list, the id stands for label and canvas id.
    RunBlockName find(const std::string& blockId) const;

private:
    std::map<std::string, RunBlockName> names_;
};

} // namespace netdraft::engine
