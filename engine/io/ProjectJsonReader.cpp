#include "engine/io/ProjectJson.h"

#include "engine/io/SettingsJson.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace netdraft::engine {

void checkKnownKeys(
    const Json& object, const std::vector<const char*>& known, const std::string& path, std::vector<Problem>& problems)
{
    for (const auto& [key, value] : object.items()) {
        (void)value;
        const std::string& found = key; // C++17: a lambda cannot capture a structured binding (clang refuses)
        const bool isKnown = std::any_of(known.begin(), known.end(), [&](const char* name) { return found == name; });
        if (!isKnown)
            problems.push_back({ path, "unknown key \"" + key + "\"" });
    }
}

bool pointFromJson(const Json& json, const std::string& path, Point& point, std::vector<Problem>& problems)
{
    if (!json.is_array() || json.size() != 2 || !json[0].is_number() || !json[1].is_number()) {
        problems.push_back({ path, "must be a list of two numbers [x, y], got " + describeJson(json) });
        return false;
    }
    point = { json[0].get<double>(), json[1].get<double>() };
    return true;
}

namespace {

void readText(const Json& root, const char* key, std::string& target, std::vector<Problem>& problems)
{
    auto it = root.find(key);
    if (it == root.end())
        return;
    if (it->is_string())
        target = it->get<std::string>();
    else
        problems.push_back({ childPath("$", key), "must be text, got " + describeJson(*it) });
}

ViewState viewFromJson(const Json& json, std::vector<Problem>& problems)
{
    ViewState view;
    if (!json.is_object()) {
        problems.push_back({ "$.view", "must be an object, got " + describeJson(json) });
        return view;
    }
    checkKnownKeys(json, { "zoom", "center" }, "$.view", problems);
    if (auto zoom = json.find("zoom"); zoom != json.end()) {
        if (zoom->is_number() && zoom->get<double>() > 0)
            view.zoom = zoom->get<double>();
        else
            problems.push_back({ "$.view.zoom", "must be a number > 0, got " + describeJson(*zoom) });
    }
    if (auto center = json.find("center"); center != json.end())
        pointFromJson(*center, "$.view.center", view.center, problems);
    return view;
}

void readTexts(const Json& json, const char* key, const std::string& path, std::vector<std::string>& target,
    std::vector<Problem>& problems)
{
    auto it = json.find(key);
    if (it == json.end())
        return;
    const std::string where = childPath(path, key);
    if (!it->is_array()) {
        problems.push_back({ where, "must be a list of texts, got " + describeJson(*it) });
        return;
    }
    for (size_t i = 0; i < it->size(); ++i) {
        if ((*it)[i].is_string())
            target.push_back((*it)[i].get<std::string>());
        else
            problems.push_back({ indexPath(where, i), "must be text, got " + describeJson((*it)[i]) });
    }
}

void readCount(const Json& json, const char* key, const std::string& path, int64_t minimum, int64_t maximum,
    int64_t& target, std::vector<Problem>& problems)
{
    auto it = json.find(key);
    if (it == json.end())
        return;
    if (it->is_number_integer() && !(it->is_number_unsigned() && it->get<uint64_t>() > uint64_t(maximum))
        && it->get<int64_t>() >= minimum && it->get<int64_t>() <= maximum)
        target = it->get<int64_t>();
    else
        problems.push_back({ childPath(path, key),
            "must be a whole number from " + std::to_string(minimum) + " to " + std::to_string(maximum) + ", got "
                + describeJson(*it) });
}

/// "$.experiment": the words as written; engine/experiment checks them against the project when it runs.
ExperimentPlan experimentFromJson(const Json& json, std::vector<Problem>& problems)
{
    ExperimentPlan plan;
    const std::string path = "$.experiment";
    if (!json.is_object()) {
        problems.push_back({ path, "must be an object, got " + describeJson(json) });
        return plan;
    }
    checkKnownKeys(json, { "grid", "trials", "random_trials", "seed", "parallel", "prune_after", "prune_min_trials" },
        path, problems);
    readTexts(json, "grid", path, plan.grid, problems);
    readTexts(json, "trials", path, plan.trials, problems);
    readCount(json, "random_trials", path, 0, 1000000, plan.randomTrials, problems);
    readCount(json, "seed", path, 0, std::numeric_limits<int64_t>::max(), plan.seed, problems);
    readCount(json, "parallel", path, 1, 256, plan.parallel, problems);
    readCount(json, "prune_after", path, 0, 100000, plan.pruneAfter, problems);
    readCount(json, "prune_min_trials", path, 1, 100000, plan.pruneMinTrials, problems);
    if (!plan.grid.empty() && !plan.trials.empty())
        problems.push_back({ path, "has both \"grid\" and \"trials\"; an experiment is one or the other" });
    return plan;
}

} // namespace

Project projectFromJson(const Json& root, std::vector<Problem>& problems)
{
    Project project;
    checkKnownKeys(
        root, { "format", "version", "name", "description", "graph", "dataset", "training", "initial_weights", "experiment",
                  "view" },
        "$", problems);
    readText(root, "name", project.name, problems);
    readText(root, "description", project.description, problems);
    readText(root, "initial_weights", project.initialWeights, problems);
    if (auto graph = root.find("graph"); graph != root.end())
        project.graph = graphFromJson(*graph, problems);
    else
        problems.push_back({ "$", "missing \"graph\"" });
    if (auto dataset = root.find("dataset"); dataset != root.end())
        project.dataset = settingsFromJson<DatasetSpec>(*dataset, "$.dataset", problems);
    if (auto training = root.find("training"); training != root.end())
        project.training = settingsFromJson<TrainingSettings>(*training, "$.training", problems);
    if (auto experiment = root.find("experiment"); experiment != root.end())
        project.experiment = experimentFromJson(*experiment, problems);
    if (auto view = root.find("view"); view != root.end())
        project.view = viewFromJson(*view, problems);
    return project;
}

} // namespace netdraft::engine
