// Editors for tuples (one field: "1" or "1, 2", plus words such as 'same') and for inferred
// integers (the inferred value read-only, with an auto/pin toggle).

#include "widgets/editing/ParamEditor.h"
#include "widgets/WheelGuard.h"

#include <QCheckBox>
#include <QCompleter>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMenu>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QValidator>

#include <algorithm>

namespace netdraft::widgets {

using engine::ParamSpec;
using engine::ParamValue;

namespace {

/// Reads "1" (every dimension), "1, 2" / "1×2" / "1x2" (one per dimension) or one of the spec's
/// words; the value is normalized and range-checked by the spec. Returns the reason when it is not.
std::optional<ParamValue> parseTuple(const ParamSpec& spec, const QString& typed, QString* reason)
{
    const QString text = typed.trimmed();
    for (const std::string& word : spec.choices)
        if (text.compare(QString::fromStdString(word), Qt::CaseInsensitive) == 0)
            return ParamValue(word);
    const QString name = QString::fromStdString(spec.name);
    QStringList words;
    for (const std::string& word : spec.choices)
        words << QStringLiteral("'%1'").arg(QString::fromStdString(word));
    const QString expected = spec.tupleSize == 1
        ? QObject::tr("%1 takes one whole number").arg(name)
        : QObject::tr("%1 takes one whole number for every dimension (\"1\") or %2 (\"1, 2\")")
              .arg(name)
              .arg(spec.tupleSize);
    const QString orWords = words.isEmpty() ? QString() : QObject::tr(", or %1").arg(words.join(QObject::tr(" or ")));
    static const QRegularExpression separators(QStringLiteral("\\s*[,;\u00d7xX*]\\s*|\\s+"));
    const QStringList parts = text.split(separators, Qt::KeepEmptyParts);
    engine::IntList values;
    for (const QString& part : parts) {
        bool ok = false;
        const qlonglong number = part.toLongLong(&ok);
        if (!ok) {
            *reason = text.isEmpty() ? expected + orWords
                                     : QObject::tr("'%1' is not a number: %2%3").arg(part, expected, orWords);
            return std::nullopt;
        }
        values.push_back(number);
    }
    if (values.size() != 1 && static_cast<int>(values.size()) != spec.tupleSize) {
        *reason = QObject::tr("%1 values given: %2%3").arg(values.size()).arg(expected, orWords);
        return std::nullopt;
    }
    ParamValue value = values.size() == 1 ? ParamValue(values.front()) : ParamValue(values);
    if (auto problem = spec.normalize(value)) {
        *reason = name + QStringLiteral(" ") + QString::fromStdString(*problem);
        return std::nullopt;
    }
    return value;
}

/// Acceptable when the text parses; anything else stays typable (Intermediate) so that the field can
/// say why it is refused.
class TupleValidator : public QValidator {
public:
    TupleValidator(const ParamSpec& spec, QObject* parent)
        : QValidator(parent)
        , spec_(spec)
    {
    }
    State validate(QString& input, int&) const override
    {
        QString reason;
        return parseTuple(spec_, input, &reason) ? Acceptable : Intermediate;
    }

private:
    const ParamSpec& spec_;
};

/// One line edit for the whole tuple: "1" or "1, 2", plus the spec's words (inline completion and a
/// drop-down). Enter or leaving the field applies it as one edit; refused text keeps a red frame and
/// says why in the tooltip and under the field.
class TupleEditor : public ParamEditor {
public:
    explicit TupleEditor(const ParamSpec& spec)
        : ParamEditor(spec)
    {
        edit_ = new QLineEdit(this);
        edit_->setValidator(new TupleValidator(this->spec(), edit_));
        edit_->setPlaceholderText(spec.tupleSize == 1 ? tr("e.g. 1") : tr("e.g. 1 or 1, 2"));
        edit_->installEventFilter(this);
        row()->addWidget(edit_, 1);
        connect(edit_, &QLineEdit::textEdited, this, [this] {
            if (edit_->hasAcceptableInput())
                showRefusal(QString()); // fixed: the red frame goes as soon as the text reads
        });
        if (!spec.choices.empty()) {
            QStringList words;
            for (const std::string& word : spec.choices)
                words << QString::fromStdString(word);
            auto* completer = new QCompleter(words, edit_);
            completer->setCompletionMode(QCompleter::InlineCompletion);
            completer->setCaseSensitivity(Qt::CaseInsensitive);
            edit_->setCompleter(completer);
            auto* menuButton = new QToolButton(this);
            menuButton->setObjectName("words");
            menuButton->setPopupMode(QToolButton::InstantPopup);
            menuButton->setArrowType(Qt::DownArrow);
            menuButton->setToolTip(tr("Choose %1").arg(words.join(QStringLiteral(", "))));
            auto* menu = new QMenu(menuButton);
            for (const QString& word : words)
                menu->addAction(word, this, [this, word] {
                    edit_->setText(word);
                    commit();
                });
            menuButton->setMenu(menu);
            row()->addWidget(menuButton);
        }
    }

    void setValue(const ParamValue& value, const std::optional<ParamValue>&) override
    {
        committed_ = value;
        if (edit_->hasFocus() && edit_->isModified())
            return; // keep what the user is typing; it applies on Enter or focus-out
        QString reason;
        if (auto shown = parseTuple(spec(), edit_->text(), &reason); shown && *shown == value && refusal_.isEmpty())
            return; // same value: keep the user's spelling
        edit_->setText(format(value));
        edit_->setModified(false);
        showRefusal(QString());
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (watched == edit_) {
            if (event->type() == QEvent::KeyPress) {
                const int key = static_cast<QKeyEvent*>(event)->key();
                if (key == Qt::Key_Return || key == Qt::Key_Enter) {
                    commit();
                    return true;
                }
                if (key == Qt::Key_Escape && edit_->isModified()) {
                    edit_->setModified(false);
                    setValue(committed_, std::nullopt);
                    return true;
                }
            } else if (event->type() == QEvent::FocusOut && edit_->isModified()) {
                commit();
            }
        }
        return ParamEditor::eventFilter(watched, event);
    }

private:
    void commit()
    {
        QString reason;
        std::optional<ParamValue> value = parseTuple(spec(), edit_->text(), &reason);
        if (!value) {
            showRefusal(reason);
            return;
        }
        showRefusal(QString());
        edit_->setModified(false);
        committed_ = *value;
        submit(*value);
    }

    void showRefusal(const QString& reason)
    {
        refusal_ = reason;
        edit_->setStyleSheet(reason.isEmpty() ? QString() : QStringLiteral("QLineEdit { border: 2px solid #DC2626; }"));
        edit_->setToolTip(reason);
        showError(reason);
    }

    /// "1" when every dimension is the same, else "1, 2"; words as they are.
    static QString format(const ParamValue& value)
    {
        if (auto* word = std::get_if<std::string>(&value))
            return QString::fromStdString(*word);
        engine::IntList list;
        if (auto* ints = std::get_if<engine::IntList>(&value))
            list = *ints;
        else if (auto* single = std::get_if<int64_t>(&value))
            list = { *single };
        if (list.empty())
            return QString();
        if (std::all_of(list.begin(), list.end(), [&](int64_t v) { return v == list.front(); }))
            return QString::number(list.front());
        QStringList parts;
        for (int64_t v : list)
            parts << QString::number(v);
        return parts.join(QStringLiteral(", "));
    }

    QLineEdit* edit_;
    QString refusal_;
    ParamValue committed_; ///< the document's value, restored by Escape
};

/// Auto: the spin box shows the inferred value, read-only. Unticking "auto" pins that value.
class InferredEditor : public ParamEditor {
public:
    explicit InferredEditor(const ParamSpec& spec)
        : ParamEditor(spec)
    {
        spin_ = new QSpinBox(this);
        guardWheel(spin_);
        spin_->setRange(spec.minimum ? static_cast<int>(*spec.minimum) : -kSpinBoxLimit,
            spec.maximum ? static_cast<int>(*spec.maximum) : kSpinBoxLimit);
        spin_->setMinimumWidth(60);
        auto_ = new QCheckBox(tr("auto"), this);
        auto_->setObjectName("auto");
        auto_->setToolTip(tr("Inferred from the incoming shape; untick to pin a value."));
        row()->addWidget(spin_, 1);
        row()->addWidget(auto_);
        connect(spin_, &QSpinBox::valueChanged, this, [this](int v) {
            if (!auto_->isChecked())
                submit(int64_t(v));
        });
        connect(auto_, &QCheckBox::toggled, this, [this](bool isAuto) {
            spin_->setReadOnly(isAuto);
            if (isAuto)
                submit(engine::Auto {});
            else
                submit(int64_t(spin_->value()));
        });
    }

    void setValue(const ParamValue& value, const std::optional<ParamValue>& inferred) override
    {
        const QSignalBlocker spinBlocker(spin_);
        const QSignalBlocker autoBlocker(auto_);
        const bool isAuto = engine::isAuto(value);
        auto_->setChecked(isAuto);
        spin_->setReadOnly(isAuto);
        spin_->setButtonSymbols(isAuto ? QAbstractSpinBox::NoButtons : QAbstractSpinBox::UpDownArrows);
        const ParamValue& shown = isAuto && inferred ? *inferred : value;
        if (auto* number = std::get_if<int64_t>(&shown))
            spin_->setValue(static_cast<int>(*number));
        spin_->setToolTip(isAuto ? tr("Inferred from the input") : tr("Pinned"));
    }

private:
    QSpinBox* spin_;
    QCheckBox* auto_;
};

} // namespace

ParamEditor* createTupleEditor(const ParamSpec& spec)
{
    return new TupleEditor(spec);
}
ParamEditor* createInferredEditor(const ParamSpec& spec)
{
    return new InferredEditor(spec);
}

} // namespace netdraft::widgets
