// The "shapes_autoencoder" dataset: the Shapes images as inputs and, flattened and scaled to 0..1,
// as their own regression targets, for autoencoders trained with a reconstruction loss.

#include "engine/data/DatasetRegistry.h"
#include "engine/data/GeneratedDatasets.h"

namespace netdraft::engine {
namespace {

LoadedDataset loadShapesAutoencoder(const DatasetRequest& request)
{
    InMemoryDataset data = generateShapes(request.spec.samples, static_cast<uint64_t>(request.spec.generatorSeed));
    // The targets are the raw pixels, not the normalised inputs: a Sigmoid output can reach them.
    data.targets = data.inputs.to(torch::kFloat32).div(data.inputScale).flatten(1);
    data.classNames.clear();
    data.description = "Shapes for autoencoders, " + std::to_string(data.size()) + " samples, 3×32×32, "
        + "targets: the image itself (3072 values)";
    return { std::move(data), std::nullopt };
}

NETDRAFT_REGISTER_DATASET("shapes_autoencoder", 20, loadShapesAutoencoder);

} // namespace
} // namespace netdraft::engine
