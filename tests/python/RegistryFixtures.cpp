#include "tests/python/RegistryFixtures.h"

#include <torch/torch.h>

#include "engine/io/AtomicFile.h"
#include "engine/io/StateDict.h"
#include "engine/train/LearningRateSchedule.h"
#include "engine/train/LossFunction.h"
#include "engine/train/LossRegistry.h"
#include "engine/train/OptimizerFactory.h"
#include "engine/train/OptimizerRegistry.h"
#include "engine/train/ScheduleRegistry.h"

#include <sstream>

using namespace netdraft::engine;

namespace netdraft::tests {

namespace {

/// Settings that make every optimizer, schedule and loss option matter.
TrainingSettings referenceSettings()
{
    TrainingSettings settings;
    settings.learningRate = 0.1;
    settings.momentum = 0.9;
    settings.weightDecay = 0.01;
    settings.beta1 = 0.8;
    settings.beta2 = 0.99;
    settings.epochs = 8;
    settings.warmupEpochs = 2;
    settings.stepSize = 2;
    settings.gamma = 0.5;
    settings.milestones = { 1, 3 };
    settings.minLearningRate = 0.01;
    settings.labelSmoothing = 0.1;
    return settings;
}

/// The weights after three steps on Σ c·w², c = (1, 3), from w = (1, −2).
torch::Tensor optimizedWeights(const TrainingSettings& settings)
{
    torch::Tensor weights = torch::tensor({ 1.0, -2.0 }, torch::kDouble).requires_grad_(true);
    auto optimizer = makeOptimizer(settings, { weights });
    for (int step = 0; step < 3; ++step) {
        optimizer->zero_grad();
        (torch::tensor({ 1.0, 3.0 }, torch::kDouble) * weights * weights).sum().backward();
        optimizer->step();
    }
    return weights.detach().clone();
}

std::string jsonNames(const std::vector<std::string>& names)
{
    std::string text = "[";
    for (size_t i = 0; i < names.size(); ++i)
        text += (i ? ", \"" : "\"") + names[i] + "\"";
    return text + "]";
}

} // namespace

void writeRegistryReferences(const std::filesystem::path& folder)
{
    std::filesystem::create_directories(folder);
    TrainingSettings settings = referenceSettings();
    NamedTensors tensors;
    for (const auto& name : OptimizerRegistry::instance().names()) {
        settings.optimizer = name;
        tensors.emplace_back("optimizer." + name, optimizedWeights(settings));
    }
    for (const auto& name : ScheduleRegistry::instance().names()) {
        settings.schedule = name;
        auto schedule = makeSchedule(settings);
        std::vector<double> rates;
        for (int64_t epoch = 0; epoch < settings.epochs; ++epoch)
            rates.push_back(schedule->rateAt(epoch));
        tensors.emplace_back("schedule." + name, torch::tensor(rates, torch::kDouble));
    }
    torch::manual_seed(5);
    const torch::Tensor scores = torch::randn({ 4, 3 }, torch::kDouble);
    for (const LossEntry& entry : LossRegistry::instance().entries()) {
        // nll reads log-probabilities; the other losses read raw outputs.
        const torch::Tensor outputs = entry.name == "nll" ? torch::log_softmax(scores, 1) : scores;
        const torch::Tensor targets = entry.classification ? torch::tensor({ 2, 0, 1, 2 }, torch::kLong)
                                                           : torch::rand({ 4, 3 }, torch::kDouble);
        settings.loss = entry.name;
        tensors.emplace_back("loss." + entry.name + ".outputs", outputs);
        tensors.emplace_back("loss." + entry.name + ".targets", targets);
        tensors.emplace_back("loss." + entry.name + ".value", LossFunction::fromSettings(settings)(outputs, targets));
    }
    writeFileAtomically((folder / "registries.pt").string(), tensorDictArchive(tensors));

    std::ostringstream json;
    json.precision(17);
    json << "{\n  \"optimizer\": " << jsonNames(OptimizerRegistry::instance().names())
         << ",\n  \"schedule\": " << jsonNames(ScheduleRegistry::instance().names())
         << ",\n  \"loss\": " << jsonNames(LossRegistry::instance().names()) << ",\n  \"settings\": {"
         << "\"learning_rate\": " << settings.learningRate << ", \"momentum\": " << settings.momentum
         << ", \"nesterov\": false, \"weight_decay\": " << settings.weightDecay << ", \"betas\": [" << settings.beta1
         << ", " << settings.beta2 << "], \"epochs\": " << settings.epochs
         << ", \"warmup_epochs\": " << settings.warmupEpochs << ", \"step_size\": " << settings.stepSize
         << ", \"gamma\": " << settings.gamma << ", \"milestones\": [" << settings.milestones[0] << ", "
         << settings.milestones[1] << "], \"min_learning_rate\": " << settings.minLearningRate
         << ", \"label_smoothing\": " << settings.labelSmoothing << "}\n}\n";
    writeFileAtomically((folder / "registries.json").string(), json.str());
}

} // namespace netdraft::tests
