#include "engine/insight/DeviceMemory.h"

#include "engine/core/Error.h"
#include "engine/train/AvailableDevices.h"

#include <unistd.h>

namespace netdraft::engine {

int64_t physicalMemoryBytes()
{
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && pageSize > 0 ? static_cast<int64_t>(pages) * pageSize : 0;
}

DeviceMemory deviceMemory(const std::string& device)
{
    std::string first = device.substr(0, device.find(','));
    if (first == "cuda")
        first = "cuda:0";
    const std::vector<AvailableDevice> devices = availableDevices();
    for (const AvailableDevice& available : devices) {
        if (available.id != first)
            continue;
        DeviceMemory memory { available.id, available.name, available.totalMemoryBytes };
        if (available.id == "cpu")
            memory.capacityBytes = physicalMemoryBytes();
        return memory;
    }
    throw Error("device '" + device + "' is not available here (" + cudaSummary() + ")");
}

} // namespace netdraft::engine
