#include "app/gui/ProjectSettings.h"

#include "engine/core/Error.h"

#include <QCoreApplication>

#include <algorithm>

namespace netdraft::app {

namespace {

template <typename Settings> const engine::SettingField<Settings>& findField(const std::string& name)
{
    const auto& fields = Settings::fields();
    auto it = std::find_if(fields.begin(), fields.end(), [&](const auto& field) { return field.spec.name == name; });
    ND_CHECK(it != fields.end(), "unknown setting \"", name, "\"");
    return *it;
}

} // namespace

void ProjectSettings::reset(const engine::DatasetSpec& dataset, const engine::TrainingSettings& training)
{
    dataset_ = dataset;
    training_ = training;
    Q_EMIT changed();
}

engine::ParamValue ProjectSettings::value(Section section, const std::string& name) const
{
    if (section == Section::Dataset)
        return findField<engine::DatasetSpec>(name).get(dataset_);
    return findField<engine::TrainingSettings>(name).get(training_);
}

void ProjectSettings::setValue(Section section, const std::string& name, const engine::ParamValue& value)
{
    if (section == Section::Dataset)
        findField<engine::DatasetSpec>(name).set(dataset_, value);
    else
        findField<engine::TrainingSettings>(name).set(training_, value);
    Q_EMIT changed();
}

SetSettingField::SetSettingField(
    ProjectSettings& settings, ProjectSettings::Section section, std::string name, engine::ParamValue value)
    : settings_(settings)
    , section_(section)
    , name_(std::move(name))
    , oldValue_(settings.value(section, name_))
    , newValue_(std::move(value))
{
    setText(QCoreApplication::translate("SetSettingField", "Change %1").arg(QString::fromStdString(name_)));
}

void SetSettingField::redo()
{
    settings_.setValue(section_, name_, newValue_);
}
void SetSettingField::undo()
{
    settings_.setValue(section_, name_, oldValue_);
}

bool SetSettingField::mergeWith(const QUndoCommand* other)
{
    const auto* next = dynamic_cast<const SetSettingField*>(other);
    if (!next || next->section_ != section_ || next->name_ != name_ || &next->settings_ != &settings_)
        return false;
    newValue_ = next->newValue_;
    setObsolete(newValue_ == oldValue_);
    return true;
}

} // namespace netdraft::app
