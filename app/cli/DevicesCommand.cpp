// `netdraft-cli devices`: the devices training can use (the CPU with its bf16 fast mode, every CUDA
// device with its name and memory), as the `device` setting names them.

#include "app/cli/Command.h"
#include "engine/train/AvailableDevices.h"

#include <iostream>

namespace netdraft::app {
namespace {

class DevicesCommand : public Command {
public:
    const char* name() const override { return "devices"; }
    const char* summary() const override { return "List the devices training can use (CPU fast mode, CUDA devices)"; }
    void addOptions(CLI::App&) override { }

    int run() override
    {
        for (const engine::AvailableDevice& device : engine::availableDevices())
            std::cout << device.description << "\n";
        std::cout << engine::cudaSummary() << "\n";
        return kExitOk;
    }
};

NETDRAFT_REGISTER_COMMAND(DevicesCommand);

} // namespace
} // namespace netdraft::app
