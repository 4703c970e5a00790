// `netdraft-cli upgrade PROJECT…`: rewrites projects in the current format (after a format change:
// migrations run, settings added since get their defaults written out), atomically, so that a file
// saved by an older Netdraft reads the same as one this version saves. Files already current stay
// untouched. Exit 0 when every file is current afterwards, 2 when one cannot be read or written.

#include "app/cli/Command.h"
#include "engine/io/JsonPath.h"
#include "engine/io/ProjectFormat.h"

#include <fstream>
#include <iostream>
#include <sstream>

namespace netdraft::app {
namespace {

using namespace netdraft::engine;

/// The "version" a file says it has, as text ("3"), or "unknown".
std::string writtenVersion(const std::string& text)
{
    const Json root = Json::parse(text, nullptr, false);
    if (root.is_object() && root.contains("version") && root["version"].is_number_integer())
        return std::to_string(root["version"].get<int64_t>());
    return "unknown";
}

class UpgradeCommand : public Command {
public:
    const char* name() const override { return "upgrade"; }
    const char* summary() const override
    {
        return "Rewrite project files in this version's format (files already current are left alone)";
    }
    void addOptions(CLI::App& subcommand) override
    {
        subcommand.add_option("PROJECT", paths_, "The .netdraft project files")->required();
    }

    int run() override
    {
        int status = kExitOk;
        for (const std::string& path : paths_) {
            const std::optional<Project> project = loadProjectForCommand(path);
            if (!project) {
                status = kExitCannotRead;
                continue;
            }
            std::ifstream file(path, std::ios::binary);
            std::ostringstream text;
            text << file.rdbuf();
            const std::string current = serializeProject(*project);
            if (text.str() == current) {
                std::cout << path << ": already in format version " << kProjectFormatVersion << "\n";
                continue;
            }
            try {
                saveProjectFile(*project, path);
            } catch (const Error& error) {
                std::cerr << "error: " << error.what() << "\n";
                status = kExitCannotRead;
                continue;
            }
            std::cout << path << ": written in format version " << kProjectFormatVersion << " (the file said version "
                      << writtenVersion(text.str()) << ")\n";
        }
        return status;
    }

private:
    std::vector<std::string> paths_;
};

NETDRAFT_REGISTER_COMMAND(UpgradeCommand);

} // namespace
} // namespace netdraft::app
