#include "engine/train/ScheduleRegistry.h"

namespace netdraft::engine {

ScheduleRegistry::ScheduleRegistry()
    : NamedRegistry("training setting schedule")
{
}

ScheduleRegistry& ScheduleRegistry::instance()
{
    static ScheduleRegistry registry;
    return registry;
}

void ScheduleRegistry::add(ScheduleEntry entry)
{
    TrainingSettings::addSchedule(entry.name, entry.listPosition);
    NamedRegistry::add(std::move(entry));
}

} // namespace netdraft::engine
