#include "engine/insight/OptimizerState.h"

#include "engine/train/OptimizerRegistry.h"

#include <sstream>

namespace netdraft::engine {
namespace {

// A size no scalar state (step counts) has.
constexpr int64_t kProbeValues = 7;

/// Tensors of kProbeValues values in `archive` and the archives nested in it.
int64_t countProbeSizedTensors(torch::serialize::InputArchive& archive)
{
    int64_t count = 0;
    for (const std::string& key : archive.keys()) {
        torch::Tensor tensor;
        torch::serialize::InputArchive nested;
        if (archive.try_read(key, tensor)) {
            if (tensor.defined() && tensor.numel() == kProbeValues)
                ++count;
        } else if (archive.try_read(key, nested)) {
            count += countProbeSizedTensors(nested);
        }
    }
    return count;
}

} // namespace

int64_t optimizerStateValues(const TrainingSettings& settings)
{
    const OptimizerEntry& entry = OptimizerRegistry::instance().get(settings.optimizer);
    torch::NoGradGuard outsideAutograd;
    torch::Tensor probe = torch::ones({ kProbeValues }).set_requires_grad(true);
    std::unique_ptr<torch::optim::Optimizer> optimizer = entry.make(settings, { probe });
    probe.mutable_grad() = torch::full({ kProbeValues }, 0.5);
    optimizer->step(); // optimizers make their state lazily, at the first step
    std::stringstream bytes;
    torch::serialize::OutputArchive saved;
    optimizer->save(saved);
    saved.save_to(bytes);
    torch::serialize::InputArchive loaded;
    loaded.load_from(bytes);
    return countProbeSizedTensors(loaded);
}

} // namespace netdraft::engine
