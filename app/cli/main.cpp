// netdraft-cli: the engine without Qt, for scripts and CI. Subcommands register themselves
// (see Command.h); this file only wires them to CLI11.

#include "app/cli/Command.h"
#include "app/cli/VersionText.h"

#include <exception>
#include <iostream>

int main(int argc, char** argv)
{
    using namespace netdraft::app;
    CLI::App app { "Netdraft command line: check, train and export .netdraft projects.", "netdraft-cli" };
    app.set_version_flag(
        "--version", [] { return versionText("netdraft-cli"); }, "Print the Netdraft, LibTorch and CUDA versions");
    app.require_subcommand(1);

    std::vector<std::unique_ptr<Command>> commands = createCommands();
    std::vector<std::pair<CLI::App*, Command*>> subcommands;
    for (const auto& command : commands) {
        CLI::App* subcommand = app.add_subcommand(command->name(), command->summary());
        command->addOptions(*subcommand);
        subcommands.emplace_back(subcommand, command.get());
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return app.exit(error);
    }
    for (const auto& [subcommand, command] : subcommands) {
        if (!subcommand->parsed())
            continue;
        try {
            return command->run();
        } catch (const std::exception& error) {
            std::cerr << "netdraft-cli " << command->name() << ": error: " << error.what() << "\n";
            return kExitFailed;
        }
    }
    return kExitFailed; // unreachable: a subcommand is required
}
