#pragma once
// Learning-rate schedules register themselves from their own files (engine/train/schedules/), so
// adding one touches only its file: the registry also makes the name one of TrainingSettings'
// `schedule` choices.

#include "engine/project/TrainingSettings.h"
#include "engine/train/LearningRateSchedule.h"
#include "engine/core/NamedRegistry.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace netdraft::engine {

/// Makes the schedule of `settings` (its base rate is settings.learningRate) over `scheduledEpochs`:
/// the run's epochs after the warm-up, at least 1. makeSchedule() adds the warm-up around it.
using ScheduleMaker
    = std::function<std::unique_ptr<LearningRateSchedule>(const TrainingSettings& settings, int64_t scheduledEpochs)>;

/// One schedule: the value of TrainingSettings::schedule, and everything that names it.
struct ScheduleEntry {
    std::string name;
    int listPosition = 0; ///< order of the settings form's list
    ScheduleMaker make;
    /// train.py: the statements of learning_rate_factor(s, epoch) for this name, ending in a `return`
    /// of the factor on the base rate, one per line without indentation. They may use the settings
    /// dictionary `s`, `epoch` (0-based, counted after the warm-up), `scheduled` (epochs after the
    /// warm-up, at least 1), `gamma` and the module `math`.
    std::string python;
};

/// The registered schedules.
class ScheduleRegistry : public NamedRegistry<ScheduleEntry> {
public:
    static ScheduleRegistry& instance();
    /// Adds (or replaces) `entry` and makes its name a TrainingSettings `schedule` choice.
    void add(ScheduleEntry entry);

private:
    ScheduleRegistry();
};

} // namespace netdraft::engine

/// Registers a ScheduleEntry{name, listPosition, make, python} at load time; use once per schedule
/// in its own .cpp.
#define NETDRAFT_REGISTER_SCHEDULE(...)                                                                                \
    NETDRAFT_REGISTRATION(::netdraft::engine::ScheduleRegistry::instance().add(__VA_ARGS__))
