#pragma once
// A Netdraft project: the graph, its dataset, how it trains, its experiment and how the canvas was left.

#include "engine/graph/Graph.h"
#include "engine/project/DatasetSpec.h"
#include "engine/project/ExperimentPlan.h"
#include "engine/project/TrainingSettings.h"

#include <string>

namespace netdraft::engine {

/// Where the canvas was when the project was saved.
struct ViewState {
    double zoom = 1.0;
    Point center;
    bool operator==(const ViewState& other) const { return zoom == other.zoom && center == other.center; }
};

/// Everything one .netdraft file holds. Serialization lives in engine/io (ProjectFormat.h).
struct Project {
    std::string name;
    std::string description;
    Graph graph;
    DatasetSpec dataset;
    TrainingSettings training;
    ViewState view;
    /// A state dict of the blocks' starting weights (e.g. written by a model import), relative to the
    /// project file's folder: training starts from it and export uses it when given no trained weights.
    /// Empty: the seeded initial weights.
    std::string initialWeights;
    /// The experiment saved with the project (`netdraft-cli sweep PROJECT` runs it); empty: none.
    ExperimentPlan experiment;

    bool operator==(const Project& other) const
    {
        return name == other.name && description == other.description && graph == other.graph
            && dataset == other.dataset && training == other.training && view == other.view
            && initialWeights == other.initialWeights && experiment == other.experiment;
    }
};

} // namespace netdraft::engine
