#include "widgets/SettingsForm.h"

#include "widgets/WheelGuard.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStyleOptionComboBox>
#include <QStylePainter>

#include <algorithm>
#include <cmath>
#include <limits>

namespace netdraft::widgets {

namespace {

constexpr int kIntLimit = std::numeric_limits<int>::max();

/// A combo box whose closed face elides a long choice ("cpu: AMD EPYC …") instead of cutting it, and
/// asks for no more width than a short one: the full text is in the tooltip and the open list.
class ElidingComboBox : public QComboBox {
public:
    explicit ElidingComboBox(QWidget* parent)
        : QComboBox(parent)
    {
        setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        setMinimumContentsLength(12);
    }

protected:
    void paintEvent(QPaintEvent*) override
    {
        QStylePainter painter(this);
        QStyleOptionComboBox option;
        initStyleOption(&option);
        painter.drawComplexControl(QStyle::CC_ComboBox, option);
        const QRect field = style()->subControlRect(QStyle::CC_ComboBox, &option, QStyle::SC_ComboBoxEditField, this);
        option.currentText = fontMetrics().elidedText(option.currentText, Qt::ElideRight, field.width() - 2);
        painter.drawControl(QStyle::CE_ComboBoxLabel, option);
    }
};

QString listText(const engine::ParamValue& value)
{
    QStringList parts;
    if (const auto* ints = std::get_if<engine::IntList>(&value))
        for (int64_t item : *ints)
            parts << QString::number(item);
    else if (const auto* reals = std::get_if<engine::RealList>(&value))
        for (double item : *reals)
            parts << QString::number(item, 'g', 8);
    else if (const auto* word = std::get_if<std::string>(&value))
        return QString::fromStdString(*word);
    return parts.join(QStringLiteral(", "));
}

// Parses the text of a list or text field into the value kind the spec expects.
std::optional<engine::ParamValue> parseText(const engine::ParamSpec& spec, const QString& text)
{
    if (spec.kind == engine::ParamKind::String)
        return engine::ParamValue { text.trimmed().toStdString() };
    const QStringList parts = text.split(QRegularExpression(QStringLiteral("[,;\\s×x]+")), Qt::SkipEmptyParts);
    if (spec.kind == engine::ParamKind::RealList) {
        engine::RealList values;
        for (const QString& part : parts) {
            bool ok = false;
            values.push_back(part.toDouble(&ok));
            if (!ok)
                return std::nullopt;
        }
        return engine::ParamValue { values };
    }
    if (parts.size() == 1 && !spec.choices.empty() && !parts[0].at(0).isDigit())
        return engine::ParamValue { parts[0].toStdString() };
    engine::IntList values;
    for (const QString& part : parts) {
        bool ok = false;
        values.push_back(part.toLongLong(&ok));
        if (!ok)
            return std::nullopt;
    }
    return engine::ParamValue { values };
}

int clampToInt(std::optional<double> bound, int fallback)
{
    if (!bound)
        return fallback;
    return static_cast<int>(std::clamp(*bound, -double(kIntLimit), double(kIntLimit)));
}

} // namespace

SettingsForm::SettingsForm(std::vector<engine::ParamSpec> specs, QWidget* parent)
    : QWidget(parent)
{
    layout_ = new QFormLayout(this);
    layout_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    // In a narrow dock a field goes under its label rather than squeezing either.
    layout_->setRowWrapPolicy(QFormLayout::WrapLongRows);
    bool anyAdvanced = false;
    for (engine::ParamSpec& spec : specs) {
        anyAdvanced = anyAdvanced || spec.advanced;
        QWidget* editor = createEditor(spec);
        editor->setObjectName(QString::fromStdString(spec.name));
        editor->setToolTip(QString::fromStdString(spec.helpText));
        editor->setProperty("help", editor->toolTip());
        auto* label = new QLabel(labelFor(spec.name), this);
        label->setToolTip(editor->toolTip());
        label->setBuddy(editor);
        layout_->addRow(label, editor);
        const std::string name = spec.name;
        fields_[name] = Field { std::move(spec), editor, label };
        setValue(name, fields_[name].spec.defaultValue);
    }
    if (anyAdvanced) {
        advancedToggle_ = new QCheckBox(tr("Show advanced settings"), this);
        layout_->addRow(advancedToggle_);
        connect(advancedToggle_, &QCheckBox::toggled, this, &SettingsForm::setShowAdvanced);
    }
    updateVisibility();
}

QString SettingsForm::labelFor(const std::string& name)
{
    QString label = QString::fromStdString(name).replace('_', ' ');
    if (!label.isEmpty())
        label[0] = label[0].toUpper();
    return label;
}

QWidget* SettingsForm::createEditor(const engine::ParamSpec& spec)
{
    const std::string name = spec.name;
    switch (spec.kind) {
    case engine::ParamKind::Bool: {
        auto* box = new QCheckBox(this);
        connect(box, &QCheckBox::toggled, this, [this, name](bool on) { emitIfValid(name, on); });
        return box;
    }
    case engine::ParamKind::Int: {
        auto* box = new QSpinBox(this);
        guardWheel(box);
        box->setRange(clampToInt(spec.minimum, -kIntLimit), clampToInt(spec.maximum, kIntLimit));
        box->setKeyboardTracking(false); // one edit per committed number, not per keystroke
        connect(box, &QSpinBox::valueChanged, this, [this, name](int v) { emitIfValid(name, int64_t(v)); });
        return box;
    }
    case engine::ParamKind::Float: {
        auto* box = new QDoubleSpinBox(this);
        guardWheel(box);
        box->setDecimals(6);
        box->setRange(spec.minimum.value_or(-1e6), spec.maximum.value_or(1e6)); // unbounded fields stay narrow
        box->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
        box->setKeyboardTracking(false);
        connect(box, &QDoubleSpinBox::valueChanged, this, [this, name](double v) { emitIfValid(name, v); });
        return box;
    }
    case engine::ParamKind::Choice: {
        auto* box = new QComboBox(this);
        guardWheel(box);
        for (const std::string& choice : spec.choices)
            box->addItem(QString::fromStdString(choice), QString::fromStdString(choice));
        connect(box, &QComboBox::activated, this,
            [this, name, box](int index) { emitIfValid(name, box->itemData(index).toString().toStdString()); });
        return box;
    }
    default: {
        auto* edit = new QLineEdit(this);
        connect(edit, &QLineEdit::editingFinished, this, [this, name, edit] { commitText(name, edit->text()); });
        return edit;
    }
    }
}

void SettingsForm::setChoices(const std::string& name, const std::vector<std::pair<std::string, QString>>& choices)
{
    auto it = fields_.find(name);
    if (it == fields_.end())
        return;
    Field& field = it->second;
    // Not editable, so that a long label is elided rather than cut; a value not offered here (cuda:1
    // from another machine) is still shown, setValue adds it.
    auto* box = new ElidingComboBox(this);
    box->setObjectName(field.editor->objectName());
    box->setProperty("help", field.editor->property("help"));
    for (const auto& [value, label] : choices) {
        box->addItem(label, QString::fromStdString(value));
        box->setItemData(box->count() - 1, label, Qt::ToolTipRole);
    }
    connect(box, &QComboBox::currentIndexChanged, box, [this, box] { markInvalid(box, {}); });
    connect(box, &QComboBox::activated, this,
        [this, name, box](int index) { emitIfValid(name, box->itemData(index).toString().toStdString()); });
    layout_->replaceWidget(field.editor, box);
    static_cast<QLabel*>(field.label)->setBuddy(box);
    delete field.editor;
    field.editor = box;
    field.spec.kind = engine::ParamKind::Choice;
    field.spec.choices.clear();
    for (const auto& choice : choices)
        field.spec.choices.push_back(choice.first);
}

void SettingsForm::setValue(const std::string& name, const engine::ParamValue& value)
{
    auto it = fields_.find(name);
    if (it == fields_.end())
        return;
    QWidget* editor = it->second.editor;
    const QSignalBlocker blocker(editor);
    if (auto* box = qobject_cast<QCheckBox*>(editor))
        box->setChecked(std::holds_alternative<bool>(value) && std::get<bool>(value));
    else if (auto* spin = qobject_cast<QSpinBox*>(editor))
        spin->setValue(std::holds_alternative<int64_t>(value) ? int(std::get<int64_t>(value)) : 0);
    else if (auto* real = qobject_cast<QDoubleSpinBox*>(editor))
        real->setValue(std::holds_alternative<double>(value) ? std::get<double>(value) : 0.0);
    else if (auto* combo = qobject_cast<QComboBox*>(editor)) {
        const QString word = listText(value);
        int index = combo->findData(word);
        if (index < 0) {
            combo->addItem(word, word);
            index = combo->count() - 1;
        }
        combo->setCurrentIndex(index);
        markInvalid(combo, {});
    } else if (auto* edit = qobject_cast<QLineEdit*>(editor)) {
        edit->setText(listText(value));
        markInvalid(edit, {});
    }
}

void SettingsForm::commitText(const std::string& name, const QString& text)
{
    const Field& field = fields_.at(name);
    std::optional<engine::ParamValue> value = parseText(field.spec, text);
    if (!value) {
        markInvalid(field.editor, tr("Expected %1").arg(QString::fromStdString(engine::describeKind(field.spec.kind))));
        return;
    }
    emitIfValid(name, std::move(*value));
}

void SettingsForm::emitIfValid(const std::string& name, engine::ParamValue value)
{
    const Field& field = fields_.at(name);
    if (auto error = field.spec.normalize(value)) {
        markInvalid(field.editor, QString::fromStdString(*error));
        return;
    }
    markInvalid(field.editor, {});
    Q_EMIT valueEdited(QString::fromStdString(name), value);
}

void SettingsForm::markInvalid(QWidget* editor, const QString& message)
{
    editor->setProperty("invalid", !message.isEmpty());
    editor->setStyleSheet(message.isEmpty() ? QString() : QStringLiteral("border: 1px solid #d9534f;"));
    QString help = editor->property("help").toString();
    if (auto* choices = dynamic_cast<ElidingComboBox*>(editor)) // its face may elide the whole choice
        help = choices->currentText() + (help.isEmpty() ? QString() : QStringLiteral("\n\n") + help);
    editor->setToolTip(message.isEmpty() ? help : message);
}

void SettingsForm::setShowAdvanced(bool show)
{
    showAdvanced_ = show;
    if (advancedToggle_ && advancedToggle_->isChecked() != show)
        advancedToggle_->setChecked(show);
    updateVisibility();
}

void SettingsForm::updateVisibility()
{
    for (auto& [name, field] : fields_)
        layout_->setRowVisible(field.editor, showAdvanced_ || !field.spec.advanced);
}

void SettingsForm::setEditable(bool editable)
{
    for (auto& [name, field] : fields_)
        field.editor->setEnabled(editable);
}

QWidget* SettingsForm::editor(const std::string& name) const
{
    auto it = fields_.find(name);
    return it == fields_.end() ? nullptr : it->second.editor;
}

} // namespace netdraft::widgets
