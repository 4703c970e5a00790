#include "engine/project/DatasetSpec.h"

#include "engine/project/ChoiceList.h"

namespace netdraft::engine {

namespace {

ChoiceList& registeredKinds()
{
    static ChoiceList kinds;
    return kinds;
}

} // namespace

void DatasetSpec::addKind(const std::string& kind, int listPosition)
{
    // A second registration replaces the first, as DatasetRegistry::add replaces the loader.
    registeredKinds().add(kind, listPosition);
}

std::vector<std::string> DatasetSpec::kinds()
{
    return registeredKinds().words();
}

const std::vector<SettingField<DatasetSpec>>& DatasetSpec::fields()
{
    using S = DatasetSpec;
    // Built on first use, after the dataset kinds registered (while the engine library loaded).
    static const std::vector<SettingField<S>> fields{
        bindField(ParamSpec::choice("kind", "shapes", kinds()).help("A generated dataset or a format on disk."),
                  &S::kind),
        bindField(ParamSpec::text("path", "").help("File or folder of a dataset on disk, relative to the project."),
                  &S::path),
        bindField(ParamSpec::integer("samples", 6000).min(10).max(10000000).help("Generated datasets: sample count."),
                  &S::samples),
        bindField(ParamSpec::integer("generator_seed", 1).min(0).help("Generated datasets: which samples to draw."),
                  &S::generatorSeed),
        bindField(ParamSpec::real("validation_fraction", 0.1).min(0).max(0.9).help("Share of training data held out."),
                  &S::validationFraction),
        bindField(ParamSpec::real("test_fraction", 0.1).min(0).max(0.9).help(
                      "Share held out for testing when the dataset has no test files."),
                  &S::testFraction),
        bindField(ParamSpec::integer("split_seed", 7).min(0).help("Seed of the split."), &S::splitSeed),
        bindField(ParamSpec::choice("normalization", "computed", {"none", "computed", "given"})
                      .help("Per-channel normalisation: none, from the training split, or the mean/std below."),
                  &S::normalization),
        bindField(ParamSpec::realList("mean", {}).help("Per-channel mean for 'given' normalisation."), &S::mean),
        bindField(ParamSpec::realList("std", {}).min(0).help("Per-channel std for 'given' normalisation."), &S::std),
        bindField(ParamSpec::integer("crop_padding", 0).min(0).max(64).help(
                      "Augmentation: pad by this much, then crop randomly; 0 = off."),
                  &S::cropPadding),
        bindField(ParamSpec::boolean("horizontal_flip", false).help("Augmentation: random horizontal flips."),
                  &S::horizontalFlip),
        bindField(ParamSpec::text("target_column", "target").help("CSV: header of the label column."), &S::targetColumn),
    };
    return fields;
}

bool DatasetSpec::operator==(const DatasetSpec& other) const
{
    for (const auto& field : fields())
        if (field.get(*this) != field.get(other))
            return false;
    return true;
}

} // namespace netdraft::engine
