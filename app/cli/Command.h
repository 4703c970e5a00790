#pragma once
// The subcommand interface of netdraft-cli. Each subcommand lives in its own file and registers
// itself with NETDRAFT_REGISTER_COMMAND; main.cpp knows none of them by name.

#include "engine/project/Project.h"

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace netdraft::app {

/// Exit statuses shared by every subcommand.
enum ExitCode : int {
    kExitOk = 0, ///< done; for validate: no design errors (warnings allowed)
    kExitDesignErrors = 1, ///< the project loads but its design has errors (shape mismatches, ...)
    kExitCannotRead = 2, ///< the project file cannot be read or is not a valid project
    kExitFailed = 3, ///< anything else went wrong (training diverged, export failed, ...)
};

/// One subcommand: declares its options on its CLI::App, then runs once parsing succeeded.
class Command {
public:
    virtual ~Command() = default;
    virtual const char* name() const = 0;
    /// One line for --help.
    virtual const char* summary() const = 0;
    /// Adds positionals and options, binding them to members read by run().
    virtual void addOptions(CLI::App& subcommand) = 0;
    /// Does the work; returns an ExitCode. Exceptions that escape are reported as kExitFailed.
    virtual int run() = 0;
};

using CommandFactory = std::unique_ptr<Command> (*)();

/// Adds a subcommand; returns true so that it can initialise a static.
bool registerCommand(CommandFactory factory);
/// One instance of every registered subcommand, ordered by name.
std::vector<std::unique_ptr<Command>> createCommands();

/// The project file `path`, or nothing after printing "error: cannot load the project" and every
/// problem of the file to stderr (the command then exits with kExitCannotRead).
std::optional<engine::Project> loadProjectForCommand(const std::string& path);

} // namespace netdraft::app

/// Registers a Command subclass from its own .cpp file.
#define NETDRAFT_REGISTER_COMMAND(Type)                                                                                \
    static const bool netdraftCommandRegistration_##Type = ::netdraft::app::registerCommand(                           \
        []() -> std::unique_ptr<::netdraft::app::Command> { return std::make_unique<Type>(); })
