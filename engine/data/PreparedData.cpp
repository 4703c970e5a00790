#include "engine/data/PreparedData.h"

#include "engine/core/Error.h"
#include "engine/core/Shape.h"
#include "engine/data/DatasetRegistry.h"
#include "engine/data/DatasetSplit.h"
#include "engine/data/NormalizationStats.h"
#include "engine/data/SeededRandom.h"
#include "engine/data/TextTokens.h"
#include "engine/inference/ShapeInference.h"

#include <filesystem>

namespace netdraft::engine {
namespace {

/// "1×28×28 images", "2 features per sample", "sequences of 20 tokens".
std::string describeSamples(const std::vector<int64_t>& shape, bool tokens)
{
    if (tokens && shape.size() == 1)
        return "sequences of " + std::to_string(shape[0]) + " tokens";
    if (shape.size() == 1)
        return std::to_string(shape[0]) + " features per sample";
    if (shape.size() == 3)
        return formatFactors(shape) + " images";
    return "samples of shape " + formatFactors(shape);
}

} // namespace

namespace {

ExpectedData expectedFrom(const NetworkSignature& signature)
{
    ExpectedData expected;
    expected.inputShape = signature.inputShape;
    expected.inputDtype = signature.inputDtype;
    expected.outputSize = signature.outputSize;
    expected.classification = signature.classification;
    return expected;
}

} // namespace

ExpectedData expectedData(const CompiledNetwork& network)
{
    return expectedFrom(network.signature());
}

ExpectedData expectedData(const Project& project)
{
    // The same reading of the Input and Output blocks as a compiled network's, tolerating a graph with errors.
    NetworkSignature signature = signatureOf(inferShapes(project.graph));
    signature.classification = isClassificationLoss(project.training.loss);
    return expectedFrom(signature);
}

void checkDatasetFits(const InMemoryDataset& data, const ExpectedData& expected)
{
    const bool tokens = data.inputs.scalar_type() == torch::kInt64;
    const std::string context = " (" + data.description + ")";
    if (!expected.inputShape.empty() && data.sampleShape() != expected.inputShape) {
        std::string wanted = describeSamples(expected.inputShape, tokens);
        // Say "expects 3×32×32", not "expects 3×32×32 images".
        wanted = wanted.substr(0, wanted.find(" images"));
        ND_CHECK(false, "dataset gives ", describeSamples(data.sampleShape(), tokens), " but the Input block expects ",
            wanted, context);
    }
    if (!expected.inputDtype.empty()) {
        const std::string given = tokens ? "int64" : "float32";
        ND_CHECK(given == expected.inputDtype, "dataset gives ", given, " inputs", tokens ? " (token ids)" : "",
            " but the Input block's dtype is ", expected.inputDtype, context);
    }
    if (expected.classification != data.isClassification())
        ND_CHECK(false, "dataset is for ", data.isClassification() ? "classification" : "regression",
            " but the Output task is ", expected.classification ? "classification" : "regression", context);
    if (expected.outputSize <= 0)
        return;
    if (data.isClassification()) {
        const int64_t classes = static_cast<int64_t>(data.classNames.size());
        ND_CHECK(classes == expected.outputSize, "dataset has ", classes, " classes but the Output block receives ",
            expected.outputSize, " values per sample; make the last layer give ", classes, " outputs", context);
    } else {
        const int64_t values = data.targets.dim() > 1 ? data.targets.size(1) : 1;
        ND_CHECK(values == expected.outputSize, "dataset gives ", values,
            " target values per sample but the Output block receives ", expected.outputSize, context);
    }
}

namespace {

void checkTestPartMatches(const InMemoryDataset& train, const InMemoryDataset& test)
{
    ND_CHECK(test.sampleShape() == train.sampleShape(), "the test files give ", formatFactors(test.sampleShape()),
        " samples but the training files give ", formatFactors(train.sampleShape()));
}

Normalization chooseNormalization(const DatasetSpec& spec, const InMemoryDataset& train)
{
    if (spec.normalization == "none" || train.inputs.scalar_type() == torch::kInt64)
        return {};
    if (spec.normalization == "computed")
        return computeNormalization(train);
    ND_CHECK(spec.normalization == "given", "dataset normalization must be none, computed or given, got '",
        spec.normalization, "'");
    const int64_t channels = train.inputs.dim() >= 2 ? train.inputs.size(1) : 1;
    ND_CHECK(spec.mean.size() == spec.std.size() && (spec.mean.size() == 1 || int64_t(spec.mean.size()) == channels),
        "dataset normalization 'given' needs mean and std with 1 or ", channels, " values each, got ", spec.mean.size(),
        " and ", spec.std.size());
    for (double value : spec.std)
        ND_CHECK(value > 0.0, "dataset normalization 'given': every std must be > 0, got ", value);
    Normalization given;
    for (int64_t c = 0; c < channels; ++c) {
        given.mean.push_back(spec.mean[spec.mean.size() == 1 ? 0 : c]);
        given.std.push_back(spec.std[spec.std.size() == 1 ? 0 : c]);
    }
    return given;
}

void relabel(InMemoryDataset& part, const std::string& name)
{
    part.description += ", " + name + " part of " + std::to_string(part.size());
}

} // namespace

std::string resolveDatasetPath(const std::string& path, const std::string& projectDir)
{
    if (path.empty() || projectDir.empty() || std::filesystem::path(path).is_absolute())
        return path;
    return (std::filesystem::path(projectDir) / path).lexically_normal().string();
}

PreparedData prepareData(const DatasetSpec& spec, const std::string& projectDir, const ExpectedData& expected)
{
    DatasetRequest request { spec, resolveDatasetPath(spec.path, projectDir), expected };
    LoadedDataset loaded = DatasetRegistry::instance().load(request);
    if (loaded.train.vocabulary.empty()) // text is checked once its vocabulary is the training part's
        checkDatasetFits(loaded.train, expected);

    // The same samples as splitting off the test part and then the validation part with splitOff,
    // but chosen by index and moved into place in the one buffer: a 50,000-image set is held once,
    // not two or three times while it is split.
    PreparedData prepared;
    const int64_t count = loaded.train.size();
    torch::Tensor restIndices = torch::arange(count, torch::kInt64);
    torch::Tensor testIndices = torch::empty({ 0 }, torch::kInt64);
    if (loaded.test) {
        checkTestPartMatches(loaded.train, *loaded.test);
        prepared.test = std::move(*loaded.test);
    } else {
        std::tie(restIndices, testIndices)
            = splitIndices(count, spec.testFraction, static_cast<uint64_t>(spec.splitSeed));
    }
    const auto [trainOfRest, validationOfRest] = splitIndices(
        restIndices.size(0), spec.validationFraction, mixSeed({ static_cast<uint64_t>(spec.splitSeed), 1 }));
    const torch::Tensor trainIndices = restIndices.index_select(0, trainOfRest);
    const torch::Tensor validationIndices = restIndices.index_select(0, validationOfRest);
    // A text dataset's vocabulary is the training part's: tokens only validation or test hold are unknown.
    if (!loaded.train.vocabulary.empty()) {
        const Vocabulary vocabulary = vocabularyOfSamples(loaded.train, trainIndices);
        renumberTokens(loaded.train, vocabulary);
        if (loaded.test)
            renumberTokens(prepared.test, vocabulary);
        checkDatasetFits(loaded.train, expected);
    }
    std::vector<InMemoryDataset> parts = partitionInPlace(loaded.train,
        torch::cat({ trainIndices, validationIndices, testIndices }),
        { trainIndices.size(0), validationIndices.size(0), testIndices.size(0) });
    prepared.train = std::move(parts[0]);
    prepared.validation = std::move(parts[1]);
    if (!loaded.test)
        prepared.test = std::move(parts[2]);
    const int64_t rest = restIndices.size(0);
    ND_CHECK(prepared.train.size() > 0, "dataset: the validation and test fractions leave no training samples (",
        rest, " samples before the validation split)");
    relabel(prepared.train, "training");
    relabel(prepared.validation, "validation");
    relabel(prepared.test, "test");
    prepared.normalization = chooseNormalization(spec, prepared.train);
    return prepared;
}

} // namespace netdraft::engine
