#include "engine/train/DeviceSelection.h"

#include "engine/core/Error.h"
#include "engine/train/AvailableDevices.h"

#include <algorithm>

#include <thread>

namespace netdraft::engine {

torch::Device selectDevice(const std::string& name)
{
    if (name == "cpu")
        return torch::kCPU;
    const std::string prefix = "cuda";
    ND_CHECK(name.compare(0, prefix.size(), prefix) == 0, "device '", name, "': expected cpu, cuda or cuda:K");
    int64_t index = 0;
    if (name.size() > prefix.size()) {
        const std::string digits = name.substr(prefix.size() + 1);
        ND_CHECK(name[prefix.size()] == ':' && !digits.empty() && digits.size() <= 4
                && digits.find_first_not_of("0123456789") == std::string::npos,
            "device '", name, "': expected cpu, cuda or cuda:K");
        index = std::stoll(digits);
    }
    ND_CHECK(torch::cuda::is_available(), "device '", name, "': ", cudaSummary(), "; use --device cpu");
    const int64_t count = static_cast<int64_t>(torch::cuda::device_count());
    ND_CHECK(index < count, "device '", name, "': this machine has ", count,
        " CUDA device(s) (cuda:0 to cuda:", count - 1, ")");
    return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
}

std::vector<torch::Device> selectDevices(const std::string& list)
{
    std::vector<torch::Device> devices;
    size_t begin = 0;
    while (true) {
        const size_t comma = list.find(',', begin);
        std::string name = list.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin);
        name.erase(0, name.find_first_not_of(' '));
        name.erase(name.find_last_not_of(' ') + 1);
        ND_CHECK(!name.empty(), "device list '", list, "': an entry is empty; expected names like cuda:0,cuda:1");
        const torch::Device device = selectDevice(name); // always indexed for CUDA
        if (device.is_cuda()) {
            ND_CHECK(std::find(devices.begin(), devices.end(), device) == devices.end(), "device list '", list,
                "': ", device.str(), " appears twice");
        }
        devices.push_back(device);
        if (comma == std::string::npos)
            break;
        begin = comma + 1;
    }
    return devices;
}

void configureThreads(int64_t threads)
{
    int64_t wanted = threads > 0 ? threads : static_cast<int64_t>(std::thread::hardware_concurrency());
    if (wanted <= 0)
        wanted = 1;
    if (torch::get_num_threads() != wanted)
        torch::set_num_threads(static_cast<int>(wanted));
}

} // namespace netdraft::engine
