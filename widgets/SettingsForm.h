#pragma once
// A form generated from setting descriptions (ParamSpec): one editor per field, chosen by its kind.
// The dataset and training panels are two instances; no field has code of its own.

#include "engine/core/ParamValue.h"
#include "engine/layers/ParamSpec.h"

#include <QString>
#include <QWidget>

#include <map>
#include <string>
#include <utility>
#include <vector>

class QCheckBox;
class QFormLayout;

namespace netdraft::widgets {

/// Shows values of described fields and reports each edit the user commits.
class SettingsForm : public QWidget {
    Q_OBJECT
public:
    explicit SettingsForm(std::vector<engine::ParamSpec> specs, QWidget* parent = nullptr);

    /// Shows `value` in the field `name` without emitting valueEdited.
    void setValue(const std::string& name, const engine::ParamValue& value);
    /// Offers a fixed list (value, label) for a free-text field, e.g. the devices for "device".
    void setChoices(const std::string& name, const std::vector<std::pair<std::string, QString>>& choices);
    void setShowAdvanced(bool show);
    void setEditable(bool editable);
    /// The editor of field `name`, for tests and focus.
    QWidget* editor(const std::string& name) const;

    /// "learning_rate" → "Learning rate".
    static QString labelFor(const std::string& name);

Q_SIGNALS:
    /// The user committed a valid value for field `name`.
    void valueEdited(const QString& name, const netdraft::engine::ParamValue& value);

private:
    struct Field {
        engine::ParamSpec spec;
        QWidget* editor = nullptr;
        QWidget* label = nullptr;
    };

    QWidget* createEditor(const engine::ParamSpec& spec);
    void commitText(const std::string& name, const QString& text);
    void emitIfValid(const std::string& name, engine::ParamValue value);
    void markInvalid(QWidget* editor, const QString& message);
    void updateVisibility();

    QFormLayout* layout_ = nullptr;
    QCheckBox* advancedToggle_ = nullptr;
    std::map<std::string, Field> fields_;
    bool showAdvanced_ = false;
};

/// The values of every field of a settings struct, by field name, for SettingsForm::setValue.
template <typename Settings>
std::vector<std::pair<std::string, engine::ParamValue>> settingValues(const Settings& settings)
{
    std::vector<std::pair<std::string, engine::ParamValue>> values;
    for (const auto& field : Settings::fields())
        values.emplace_back(field.spec.name, field.get(settings));
    return values;
}

/// The descriptions of every field of a settings struct, in order.
template <typename Settings> std::vector<engine::ParamSpec> settingSpecs()
{
    std::vector<engine::ParamSpec> specs;
    for (const auto& field : Settings::fields())
        specs.push_back(field.spec);
    return specs;
}

} // namespace netdraft::widgets
