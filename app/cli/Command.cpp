#include "app/cli/Command.h"

#include "engine/io/ProjectFormat.h"

#include <iostream>

#include <algorithm>
#include <cstring>

namespace netdraft::app {

namespace {
std::vector<CommandFactory>& factories()
{
    static std::vector<CommandFactory> list;
    return list;
}
} // namespace

bool registerCommand(CommandFactory factory)
{
    factories().push_back(factory);
    return true;
}

std::vector<std::unique_ptr<Command>> createCommands()
{
    std::vector<std::unique_ptr<Command>> commands;
    for (CommandFactory factory : factories())
        commands.push_back(factory());
    std::sort(commands.begin(), commands.end(),
        [](const auto& a, const auto& b) { return std::strcmp(a->name(), b->name()) < 0; });
    return commands;
}

std::optional<engine::Project> loadProjectForCommand(const std::string& path)
{
    try {
        return engine::loadProjectFile(path);
    } catch (const engine::Error& error) { // ProjectLoadError lists every problem of the file
        std::cerr << "error: cannot load the project\n" << error.what() << "\n";
        return std::nullopt;
    }
}

} // namespace netdraft::app
