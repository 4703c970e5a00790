#include "engine/io/ProjectJson.h"

#include "engine/io/SettingsJson.h"

#include <algorithm>
#include <cstring>

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

} // namespace

Project projectFromJson(const Json& root, std::vector<Problem>& problems)
{
    Project project;
    checkKnownKeys(
        root, { "format", "version", "name", "description", "graph", "dataset", "training", "initial_weights", "view" },
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
    if (auto view = root.find("view"); view != root.end())
        project.view = viewFromJson(*view, problems);
    return project;
}

} // namespace netdraft::engine
