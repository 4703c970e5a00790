// The "sequences" dataset: token sequences whose class depends on which of two markers is more
// frequent, a rule a recurrent network (or embedding + pooling) learns in a few epochs.

#include "engine/core/Error.h"
#include "engine/data/DatasetRegistry.h"
#include "engine/data/GeneratedDatasets.h"
#include "engine/data/SeededRandom.h"

namespace netdraft::engine {
namespace {

void drawSequence(int64_t label, SeededRandom& random, int64_t* tokens)
{
    // The winning marker appears 2..5 times, the other 1..(winner - 1) times.
    int64_t winnerCount = 2 + random.below(4);
    int64_t loserCount = 1 + random.below(winnerCount - 1);
    int64_t winner = label == 0 ? kSequenceMarkerA : kSequenceMarkerB;
    int64_t loser = label == 0 ? kSequenceMarkerB : kSequenceMarkerA;
    const int64_t fillerFirst = kSequenceMarkerB + 1;
    for (int64_t t = 0; t < kSequenceLength; ++t)
        tokens[t] = fillerFirst + random.below(kSequenceVocabulary - fillerFirst);
    // Markers go to distinct positions: the first positions of a seeded shuffle.
    std::vector<int64_t> positions(kSequenceLength);
    for (int64_t t = 0; t < kSequenceLength; ++t)
        positions[t] = t;
    for (int64_t t = kSequenceLength - 1; t > 0; --t)
        std::swap(positions[t], positions[random.below(t + 1)]);
    for (int64_t k = 0; k < winnerCount + loserCount; ++k)
        tokens[positions[k]] = k < winnerCount ? winner : loser;
}

LoadedDataset loadSequences(const DatasetRequest& request)
{
    return { generateSequences(request.spec.samples, static_cast<uint64_t>(request.spec.generatorSeed)), std::nullopt };
}

NETDRAFT_REGISTER_DATASET("sequences", 50, loadSequences);

} // namespace

InMemoryDataset generateSequences(int64_t samples, uint64_t seed)
{
    ND_CHECK(samples > 0, "sequences: samples must be positive, got ", samples);
    InMemoryDataset data;
    data.inputs = torch::empty({ samples, kSequenceLength }, torch::kInt64);
    data.targets = torch::arange(samples, torch::kInt64).remainder(2);
    int64_t* tokens = data.inputs.data_ptr<int64_t>();
    for (int64_t i = 0; i < samples; ++i) {
        SeededRandom random(mixSeed({ seed, static_cast<uint64_t>(i) }));
        drawSequence(i % 2, random, tokens + i * kSequenceLength);
    }
    data.classNames = { "more 1s", "more 2s" };
    data.description = "Sequences, " + std::to_string(samples) + " samples, length 20, vocabulary 16, 2 classes";
    return data;
}

} // namespace netdraft::engine
