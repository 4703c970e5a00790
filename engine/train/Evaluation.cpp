#include "engine/train/Evaluation.h"

namespace netdraft::engine {

Metrics evaluateModel(GraphModel& model, const InMemoryDataset& data, const LossFunction& loss, LoaderOptions loader,
    MetricAccumulator::Options metrics)
{
    MetricAccumulator accumulator(metrics);
    if (data.size() == 0)
        return accumulator.result();
    loader.shuffle = false;
    loader.dropLast = false;
    loader.cropPadding = 0;
    loader.horizontalFlip = false;
    DataLoader batches(data, loader);
    batches.startEpoch(0);

    const bool wasTraining = model->is_training();
    model->eval();
    torch::NoGradGuard noGrad;
    while (auto batch = batches.next()) {
        const torch::Tensor output = model->forward(batch->inputs);
        accumulator.add(output, batch->targets, loss(output, batch->targets));
    }
    model->train(wasTraining);
    return accumulator.result();
}

} // namespace netdraft::engine
