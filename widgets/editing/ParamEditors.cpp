// The concrete parameter editors, one per ParamKind, and the factory that picks one.

#include "widgets/editing/ParamEditor.h"
#include "widgets/WheelGuard.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSpinBox>

#include <climits>
#include <cmath>

namespace netdraft::widgets {

using engine::ParamSpec;
using engine::ParamValue;

namespace {

void applyRange(QSpinBox* spin, const ParamSpec& spec)
{
    spin->setRange(spec.minimum ? static_cast<int>(std::max<double>(*spec.minimum, -kSpinBoxLimit)) : -kSpinBoxLimit,
        spec.maximum ? static_cast<int>(std::min<double>(*spec.maximum, kSpinBoxLimit)) : kSpinBoxLimit);
    spin->setAccelerated(true);
    spin->setMinimumWidth(60); // the size hint fits the range's widest value, far too wide for a dock
}

int64_t asInt(const ParamValue& value, int64_t fallback)
{
    return std::holds_alternative<int64_t>(value) ? std::get<int64_t>(value) : fallback;
}

class BoolEditor : public ParamEditor {
public:
    explicit BoolEditor(const ParamSpec& spec)
        : ParamEditor(spec)
    {
        box_ = new QCheckBox(this);
        row()->addWidget(box_);
        row()->addStretch();
        connect(box_, &QCheckBox::toggled, this, [this](bool on) { submit(on); });
    }
    void setValue(const ParamValue& value, const std::optional<ParamValue>&) override
    {
        const QSignalBlocker blocker(box_);
        box_->setChecked(std::holds_alternative<bool>(value) && std::get<bool>(value));
    }

private:
    QCheckBox* box_;
};

class IntEditor : public ParamEditor {
public:
    explicit IntEditor(const ParamSpec& spec)
        : ParamEditor(spec)
    {
        spin_ = new QSpinBox(this);
        guardWheel(spin_);
        applyRange(spin_, spec);
        row()->addWidget(spin_, 1);
        connect(spin_, &QSpinBox::valueChanged, this, [this](int v) { submit(int64_t(v)); });
    }
    void setValue(const ParamValue& value, const std::optional<ParamValue>&) override
    {
        const int shown = static_cast<int>(asInt(value, 0));
        if (spin_->value() == shown)
            return; // keep the text and cursor of a field being typed into
        const QSignalBlocker blocker(spin_);
        spin_->setValue(shown);
    }

private:
    QSpinBox* spin_;
};

class FloatEditor : public ParamEditor {
public:
    explicit FloatEditor(const ParamSpec& spec)
        : ParamEditor(spec)
    {
        spin_ = new QDoubleSpinBox(this);
        guardWheel(spin_);
        // Enough decimals for small defaults such as eps = 1e-5.
        double magnitude
            = std::holds_alternative<double>(spec.defaultValue) ? std::abs(std::get<double>(spec.defaultValue)) : 0;
        spin_->setDecimals(
            magnitude > 0 && magnitude < 0.001 ? static_cast<int>(std::ceil(-std::log10(magnitude))) + 2 : 4);
        spin_->setRange(spec.minimum.value_or(-1e12), spec.maximum.value_or(1e12));
        spin_->setMinimumWidth(60);
        spin_->setSingleStep(magnitude > 0 && magnitude < 1 ? magnitude / 10 : 0.1);
        row()->addWidget(spin_, 1);
        connect(spin_, &QDoubleSpinBox::valueChanged, this, [this](double v) { submit(v); });
    }
    void setValue(const ParamValue& value, const std::optional<ParamValue>&) override
    {
        const double shown = std::holds_alternative<double>(value) ? std::get<double>(value) : double(asInt(value, 0));
        if (spin_->value() == shown)
            return;
        const QSignalBlocker blocker(spin_);
        spin_->setValue(shown);
    }

private:
    QDoubleSpinBox* spin_;
};

class ChoiceEditor : public ParamEditor {
public:
    explicit ChoiceEditor(const ParamSpec& spec)
        : ParamEditor(spec)
    {
        combo_ = new QComboBox(this);
        guardWheel(combo_);
        for (const std::string& choice : spec.choices)
            combo_->addItem(QString::fromStdString(choice));
        row()->addWidget(combo_, 1);
        connect(combo_, &QComboBox::currentTextChanged, this, [this](const QString& t) { submit(t.toStdString()); });
    }
    void setValue(const ParamValue& value, const std::optional<ParamValue>&) override
    {
        const QSignalBlocker blocker(combo_);
        if (std::holds_alternative<std::string>(value))
            combo_->setCurrentText(QString::fromStdString(std::get<std::string>(value)));
    }

private:
    QComboBox* combo_;
};

class TextEditor : public ParamEditor {
public:
    explicit TextEditor(const ParamSpec& spec)
        : ParamEditor(spec)
    {
        edit_ = new QLineEdit(this);
        row()->addWidget(edit_, 1);
        connect(edit_, &QLineEdit::textEdited, this, [this](const QString& t) { submit(t.toStdString()); });
    }
    void setValue(const ParamValue& value, const std::optional<ParamValue>&) override
    {
        const QString text = std::holds_alternative<std::string>(value)
            ? QString::fromStdString(std::get<std::string>(value))
            : QString();
        if (edit_->text() != text)
            edit_->setText(text);
    }

private:
    QLineEdit* edit_;
};

/// "3, 32, 32", "3×32×32" or "3 32 32"; reals for RealList.
class ListEditor : public ParamEditor {
public:
    explicit ListEditor(const ParamSpec& spec)
        : ParamEditor(spec)
    {
        edit_ = new QLineEdit(this);
        edit_->setPlaceholderText(
            spec.kind == engine::ParamKind::RealList ? tr("e.g. 0.5, 0.5, 0.5") : tr("e.g. 3, 32, 32"));
        row()->addWidget(edit_, 1);
        connect(edit_, &QLineEdit::textEdited, this, [this](const QString& text) { parseAndSubmit(text); });
    }
    void setValue(const ParamValue& value, const std::optional<ParamValue>&) override
    {
        if (!errorText().isEmpty() && edit_->hasFocus())
            return; // keep what the user is fixing
        if (auto current = parse(edit_->text()); current && *current == value)
            return; // same value: keep the user's spelling and cursor
        edit_->setText(format(value));
    }

private:
    std::optional<ParamValue> parse(const QString& text) const
    {
        static const QRegularExpression separators(QStringLiteral("[,;\\s\u00d7xX*]+"));
        const QStringList parts = text.split(separators, Qt::SkipEmptyParts);
        const bool reals = spec().kind == engine::ParamKind::RealList;
        engine::IntList ints;
        engine::RealList doubles;
        for (const QString& part : parts) {
            bool ok = false;
            if (reals)
                doubles.push_back(part.toDouble(&ok));
            else
                ints.push_back(part.toLongLong(&ok));
            if (!ok)
                return std::nullopt;
        }
        return reals ? ParamValue(doubles) : ParamValue(ints);
    }
    void parseAndSubmit(const QString& text)
    {
        if (auto value = parse(text))
            submit(*value);
        else
            showError(tr("%1 must be a list of %2 separated by commas")
                          .arg(QString::fromStdString(spec().name),
                              spec().kind == engine::ParamKind::RealList ? tr("numbers") : tr("whole numbers")));
    }
    static QString format(const ParamValue& value)
    {
        QStringList parts;
        if (auto* ints = std::get_if<engine::IntList>(&value))
            for (int64_t v : *ints)
                parts << QString::number(v);
        if (auto* reals = std::get_if<engine::RealList>(&value))
            for (double v : *reals)
                parts << QString::number(v);
        return parts.join(QStringLiteral(", "));
    }

    QLineEdit* edit_;
};

} // namespace

// Declared here, defined in ParamTupleEditors.cpp.
ParamEditor* createTupleEditor(const ParamSpec& spec);
ParamEditor* createInferredEditor(const ParamSpec& spec);

ParamEditor* createParamEditor(const ParamSpec& spec, QWidget* parent)
{
    ParamEditor* editor = nullptr;
    if (spec.inferred && spec.kind == engine::ParamKind::Int)
        editor = createInferredEditor(spec);
    else {
        switch (spec.kind) {
        case engine::ParamKind::Bool:
            editor = new BoolEditor(spec);
            break;
        case engine::ParamKind::Int:
            editor = new IntEditor(spec);
            break;
        case engine::ParamKind::Float:
            editor = new FloatEditor(spec);
            break;
        case engine::ParamKind::Choice:
            editor = new ChoiceEditor(spec);
            break;
        case engine::ParamKind::IntTuple:
            editor = createTupleEditor(spec);
            break;
        case engine::ParamKind::IntList:
        case engine::ParamKind::RealList:
            editor = new ListEditor(spec);
            break;
        case engine::ParamKind::String:
            editor = new TextEditor(spec);
            break;
        }
    }
    editor->setParent(parent);
    editor->setObjectName(QString::fromStdString(spec.name));
    return editor;
}

} // namespace netdraft::widgets
