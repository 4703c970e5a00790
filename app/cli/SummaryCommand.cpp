// `netdraft-cli summary PROJECT [--batch-size N] [--device D] [--memory-gb G] [--profile] [--json]`:
// what the network costs: per block its output shape, parameters, multiply-accumulates (one sample) and
// activation memory, the totals, and whether training at the batch size fits in the memory of the
// training device; with --profile also each block's measured forward and backward time (docs/INSIGHT.md).

#include "app/cli/Command.h"
#include "app/cli/TextTable.h"
#include "engine/core/Error.h"
#include "engine/insight/BlockProfiler.h"
#include "engine/insight/DeviceMemory.h"
#include "engine/insight/NetworkCost.h"
#include "engine/insight/NetworkCostJson.h"
#include "engine/io/ProjectFormat.h"
#include "engine/network/CompiledNetwork.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>

namespace netdraft::app {
namespace {

using namespace netdraft::engine;

class SummaryCommand : public Command {
public:
    const char* name() const override { return "summary"; }
    const char* summary() const override
    {
        return "Print each block's parameters, multiply-accumulates and activation memory, and whether training "
               "fits in memory";
    }
    void addOptions(CLI::App& subcommand) override
    {
        subcommand.add_option("PROJECT", path_, "The .netdraft project file")->required();
        subcommand.add_option("--batch-size", batchSize_, "Batch size of the memory estimate (default: the project's)")
            ->check(CLI::PositiveNumber);
        subcommand.add_option("--device", device_,
            "Device whose memory training must fit in: cpu (this machine's memory), cuda, cuda:K (default: the "
            "project's)");
        subcommand
            .add_option("--memory-gb", memoryGiB_, "Memory to fit training in, in GiB (default: the device's memory)")
            ->check(CLI::PositiveNumber);
        subcommand.add_flag("--profile", profile_,
            "Measure each block's forward and backward time on the device at the batch size (2 warm-up batches, "
            "then the mean of --profile-batches)");
        subcommand.add_option("--profile-batches", profileBatches_, "Batches measured by --profile (default 5)")
            ->check(CLI::PositiveNumber);
        subcommand.add_flag("--json", json_, "Print a JSON object instead of the table");
    }

    int run() override
    {
        const std::optional<Project> loaded = loadProjectForCommand(path_);
        if (!loaded)
            return kExitCannotRead;
        Project project = *loaded;
        std::optional<CompiledNetwork> network;
        try {
            network = CompiledNetwork::compile(project);
        } catch (const Error& error) {
            std::cerr << "error: the design has errors (netdraft-cli validate lists them)\n" << error.what() << "\n";
            return kExitDesignErrors;
        }
        CostOptions options = CostOptions::fromSettings(project.training);
        if (batchSize_ > 0)
            options.batchSize = batchSize_;
        const NetworkCost cost = costOf(*network, options);
        DeviceMemory device;
        try {
            device = deviceMemory(device_.empty() ? project.training.device : device_);
        } catch (const Error& error) {
            std::cerr << "error: " << error.what() << "\n";
            return kExitFailed;
        }
        if (memoryGiB_ > 0) {
            device.capacityBytes = static_cast<int64_t>(std::llround(memoryGiB_ * 1024 * 1024 * 1024));
            device.name = "--memory-gb";
        }
        std::optional<NetworkProfile> profile;
        if (profile_) {
            ProfileOptions profiling;
            profiling.batchSize = options.batchSize;
            profiling.device = device_.empty() ? project.training.device : device_;
            profiling.batches = profileBatches_;
            profiling.seed = static_cast<uint64_t>(project.training.seed);
            try {
                profile = profileNetwork(*network, profiling);
            } catch (const std::exception& error) {
                std::cerr << "error: " << error.what() << "\n";
                return kExitFailed;
            }
        }
        if (json_) {
            const std::string json = networkCostJson(cost, device, &*network, designWarnings(*network, cost));
            std::cout << (profile ? withProfile(json, *profile) : json) << "\n";
            return kExitOk;
        }
        std::cout << (project.name.empty() ? path_ : project.name + " (" + path_ + ")") << "\n\n";
        printTable(cost, profile ? &*profile : nullptr);
        printMemory(cost, device);
        for (const Problem& warning : designWarnings(*network, cost)) // as validate prints them
            std::cout << "warning: " << warning.toString() << "\n";
        return kExitOk;
    }

private:
    static std::string milliseconds(double value)
    {
        char text[32];
        std::snprintf(text, sizeof text, "%.3f", value);
        return text;
    }

    /// The cost JSON with forward_ms/backward_ms on each block that ran and a "profile" object of totals.
    static std::string withProfile(const std::string& costJson, const NetworkProfile& profile)
    {
        nlohmann::ordered_json json = nlohmann::ordered_json::parse(costJson);
        for (nlohmann::ordered_json& block : json["blocks"])
            if (const BlockTiming* timing = profile.find(block["id"].get<std::string>())) {
                block["forward_ms"] = timing->forwardMs;
                block["backward_ms"] = timing->backwardMs;
            }
        json["profile"] = { { "device", profile.device }, { "batch_size", profile.batchSize },
            { "batches", profile.batches }, { "forward_ms", profile.forwardMs }, { "backward_ms", profile.backwardMs },
            { "blocks_forward_ms", profile.blocksForwardMs() }, { "blocks_backward_ms", profile.blocksBackwardMs() } };
        return json.dump(2);
    }

    static void printTable(const NetworkCost& cost, const NetworkProfile* profile)
    {
        using Align = TextTable::Align;
        std::vector<std::string> headers { "Block", "Type", "Output shape", "Parameters", "MACs", "Activations" };
        std::vector<Align> aligns { Align::Left, Align::Left, Align::Left, Align::Right, Align::Right, Align::Right };
        if (profile) {
            headers.insert(headers.end(), { "Forward ms", "Backward ms" });
            aligns.insert(aligns.end(), { Align::Right, Align::Right });
        }
        TextTable table(headers, aligns);
        for (const BlockCost& block : cost.blocks) {
            std::vector<std::string> row { block.frozen ? block.id + " (frozen)" : block.id, block.type,
                block.output.toString(), std::to_string(block.parameters()), formatCount(block.multiplyAccumulates),
                formatBytes(block.activationBytes) };
            if (profile) {
                const BlockTiming* timing = profile->find(block.id);
                row.push_back(timing ? milliseconds(timing->forwardMs) : "–");
                row.push_back(timing ? milliseconds(timing->backwardMs) : "–");
            }
            table.addRow(row);
        }
        table.print(std::cout);
        if (profile)
            std::cout << "\nTime per batch of " << profile->batchSize << " on " << profile->device << " (mean of "
                      << profile->batches << " after warm-up): forward " << milliseconds(profile->forwardMs)
                      << " ms (blocks " << milliseconds(profile->blocksForwardMs()) << " ms), backward "
                      << milliseconds(profile->backwardMs) << " ms (blocks "
                      << milliseconds(profile->blocksBackwardMs()) << " ms)\n";
        std::cout << "\nParameters: " << cost.totalParameters() << " (" << formatCount(cost.totalParameters())
                  << "), trainable " << cost.trainableParameters() << ", frozen " << cost.frozenParameters() << "\n";
        std::cout << "Multiply-accumulates per sample: " << cost.totalMultiplyAccumulates() << " ("
                  << formatCount(cost.totalMultiplyAccumulates()) << " MACs)\n";
    }

    static void printMemory(const NetworkCost& cost, const DeviceMemory& device)
    {
        const int64_t capacity = device.capacityBytes;
        const TrainingMemory& memory = cost.memory;
        std::cout << "Training memory at batch size " << memory.batchSize << " (" << cost.options.optimizer
                  << "): " << formatBytes(memory.totalBytes()) << " = parameters " << formatBytes(memory.parameterBytes)
                  << " + gradients " << formatBytes(memory.gradientBytes) << " + optimizer state "
                  << formatBytes(memory.optimizerStateBytes) << " + activations "
                  << formatBytes(memory.activationBytes()) << "\n";
        std::cout << (memory.fitsIn(capacity) ? "Fits" : "Does not fit") << " in " << formatBytes(capacity) << " of "
                  << device.device << " (" << device.name << ")";
        const int64_t largest = memory.largestBatchSize(capacity);
        if (largest == 0)
            std::cout << "; not even one sample fits\n";
        else if (largest == std::numeric_limits<int64_t>::max())
            std::cout << "; any batch size fits\n";
        else
            std::cout << "; the largest batch size that fits is " << largest << "\n";
    }

    std::string path_;
    std::string device_;
    int64_t batchSize_ = 0;
    double memoryGiB_ = 0;
    bool json_ = false;
    bool profile_ = false;
    int64_t profileBatches_ = 5;
};

NETDRAFT_REGISTER_COMMAND(SummaryCommand);

} // namespace
} // namespace netdraft::app
