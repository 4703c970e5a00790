#include "engine/experiment/ExperimentTrials.h"

#include "engine/core/Error.h"
#include "engine/data/SeededRandom.h"
#include "engine/model/GraphModel.h"

#include <set>

namespace netdraft::engine {

namespace {

Trial makeTrial(const Project& base, int number, std::vector<Assignment> values)
{
    Trial trial;
    trial.number = number;
    trial.project = base;
    for (const auto& assignment : values)
        applyAssignment(trial.project, assignment);
    trial.values = std::move(values);
    return trial;
}

/// The assignments of the combination whose per-axis value indexes are `indexes`.
std::vector<Assignment> combination(const ExperimentSpec& spec, const std::vector<size_t>& indexes)
{
    std::vector<Assignment> values;
    for (size_t axis = 0; axis < spec.axes.size(); ++axis)
        values.push_back({ spec.axes[axis].key, spec.axes[axis].values[indexes[axis]] });
    return values;
}

std::vector<Trial> gridTrials(const Project& base, const ExperimentSpec& spec)
{
    std::vector<Trial> trials;
    std::vector<size_t> indexes(spec.axes.size(), 0);
    while (true) {
        trials.push_back(makeTrial(base, static_cast<int>(trials.size()) + 1, combination(spec, indexes)));
        // Odometer: the last axis turns fastest.
        size_t axis = spec.axes.size();
        while (axis > 0) {
            --axis;
            if (++indexes[axis] < spec.axes[axis].values.size())
                break;
            indexes[axis] = 0;
            if (axis == 0)
                return trials;
        }
    }
}

std::vector<Trial> randomTrials(const Project& base, const ExperimentSpec& spec)
{
    // Each axis's index is drawn in axis order from one seeded sequence; a combination already drawn
    // is drawn again, so the trials are distinct (checkExperimentSpec made sure there are enough).
    SeededRandom random(mixSeed({ spec.seed, 0x5eedull }));
    std::set<std::vector<size_t>> drawn;
    std::vector<Trial> trials;
    while (static_cast<int64_t>(trials.size()) < spec.randomTrials) {
        std::vector<size_t> indexes;
        for (const auto& axis : spec.axes)
            indexes.push_back(static_cast<size_t>(random.below(static_cast<int64_t>(axis.values.size()))));
        if (!drawn.insert(indexes).second)
            continue;
        trials.push_back(makeTrial(base, static_cast<int>(trials.size()) + 1, combination(spec, indexes)));
    }
    return trials;
}

} // namespace

void applyAssignment(Project& project, const Assignment& assignment)
{
    const ExperimentKey& key = assignment.key;
    switch (key.section) {
    case ExperimentKey::Section::Training:
        findSettingField<TrainingSettings>(key.name).set(project.training, assignment.value.value);
        return;
    case ExperimentKey::Section::Dataset:
        findSettingField<DatasetSpec>(key.name).set(project.dataset, assignment.value.value);
        return;
    case ExperimentKey::Section::Block:
        project.graph.block(key.blockId).params[key.name] = assignment.value.value;
        return;
    }
}

std::vector<Trial> trialProjects(const Project& base, const ExperimentSpec& spec)
{
    checkExperimentSpec(spec);
    switch (spec.method) {
    case SearchMethod::Grid:
        return gridTrials(base, spec);
    case SearchMethod::Random:
        return randomTrials(base, spec);
    case SearchMethod::List: {
        std::vector<Trial> trials;
        for (const auto& listed : spec.listedTrials)
            trials.push_back(makeTrial(base, static_cast<int>(trials.size()) + 1, listed));
        return trials;
    }
    }
    return {};
}

std::optional<int64_t> countParameters(const Project& project)
{
    try {
        return buildModel(CompiledNetwork::compile(project)).ptr()->totalParameters();
    } catch (const std::exception&) { // design errors (Error), or LibTorch refusing a size
        return std::nullopt;
    }
}

} // namespace netdraft::engine
