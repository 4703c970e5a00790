#pragma once
// An editor for one layer parameter, generated from its ParamSpec: spin boxes with the spec's range,
// combo boxes for choices, tuple and list editors, and an auto/pin toggle for inferred values.

#include "engine/layers/ParamSpec.h"

#include <QWidget>

#include <optional>

class QHBoxLayout;
class QLabel;

namespace netdraft::widgets {

/// The widest range a parameter's spin box offers when its spec sets no bound.
constexpr int kSpinBoxLimit = 1'000'000'000;

/// Shows one value and emits valueEdited with values that pass ParamSpec::normalize; invalid input
/// shows the normalize message under the field instead.
class ParamEditor : public QWidget {
    Q_OBJECT
public:
    explicit ParamEditor(engine::ParamSpec spec, QWidget* parent = nullptr);

    const engine::ParamSpec& spec() const { return spec_; }
    /// Shows the block's value; `inferred` is what inference found (for inferred parameters).
    virtual void setValue(const engine::ParamValue& value, const std::optional<engine::ParamValue>& inferred) = 0;
    /// The validation message shown now; empty when the input is valid.
    QString errorText() const;

Q_SIGNALS:
    void valueEdited(const netdraft::engine::ParamValue& value);

protected:
    /// Validates `value` as the user types and either emits it or shows why it is refused.
    void submit(engine::ParamValue value);
    void showError(const QString& message);
    /// The row the subclass puts its input widgets into.
    QHBoxLayout* row() const { return row_; }

private:
    engine::ParamSpec spec_;
    QHBoxLayout* row_;
    QLabel* error_;
};

/// The editor that fits `spec`'s kind.
ParamEditor* createParamEditor(const engine::ParamSpec& spec, QWidget* parent = nullptr);

} // namespace netdraft::widgets
