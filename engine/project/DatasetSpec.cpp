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
        bindField(setting::choice("kind", kinds()).help("A generated dataset or a format on disk."),
                  &S::kind),
        bindField(setting::text("path").help("File or folder of a dataset on disk, relative to the project."),
                  &S::path),
        bindField(setting::integer("samples").min(10).max(10000000).help("Generated datasets: sample count."),
                  &S::samples),
        bindField(setting::integer("generator_seed").min(0).help("Generated datasets: which samples to draw."),
                  &S::generatorSeed),
        bindField(setting::real("validation_fraction").min(0).max(0.9).help("Share of training data held out."),
                  &S::validationFraction),
        bindField(setting::real("test_fraction").min(0).max(0.9).help(
                      "Share held out for testing when the dataset has no test files."),
                  &S::testFraction),
        bindField(setting::integer("split_seed").min(0).help("Seed of the split."), &S::splitSeed),
        bindField(setting::choice("normalization", {"none", "computed", "given"})
                      .help("Per-channel normalisation: none, from the training split, or the mean/std below."),
                  &S::normalization),
        bindField(setting::realList("mean").help("Per-channel mean for 'given' normalisation."), &S::mean),
        bindField(setting::realList("std").min(0).help("Per-channel std for 'given' normalisation."), &S::std),
        bindField(setting::integer("crop_padding").min(0).max(64).help(
                      "Augmentation: pad by this much, then crop randomly; 0 = off."),
                  &S::cropPadding),
        bindField(setting::boolean("horizontal_flip").help("Augmentation: random horizontal flips."),
                  &S::horizontalFlip),
        bindField(setting::text("target_column").help("CSV: header of the label column."), &S::targetColumn),
        bindField(setting::choice("text_unit", { "characters", "words" })
                      .help("Text datasets: the tokens are characters, or words between whitespace."),
                  &S::textUnit),
        bindField(setting::choice("text_task", { "next_token", "line_labels" })
                      .help("Text file: predict the token after each window (a language model), or classify "
                            "lines written label<TAB>text."),
                  &S::textTask),
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
