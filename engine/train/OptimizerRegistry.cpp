#include "engine/train/OptimizerRegistry.h"

namespace netdraft::engine {

OptimizerRegistry::OptimizerRegistry()
    : NamedRegistry("training setting optimizer")
{
}

OptimizerRegistry& OptimizerRegistry::instance()
{
    static OptimizerRegistry registry;
    return registry;
}

void OptimizerRegistry::add(OptimizerEntry entry)
{
    TrainingSettings::addOptimizer(entry.name, entry.listPosition);
    NamedRegistry::add(std::move(entry));
}

} // namespace netdraft::engine
