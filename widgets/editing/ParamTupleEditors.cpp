// Editors for tuples ("3×3" as two spin boxes, plus words such as 'same') and for inferred
// integers (the inferred value read-only, with an auto/pin toggle).

#include "widgets/editing/ParamEditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>

namespace netdraft::widgets {

using engine::ParamSpec;
using engine::ParamValue;

namespace {

class TupleEditor : public ParamEditor {
public:
    explicit TupleEditor(const ParamSpec& spec)
        : ParamEditor(spec)
    {
        if (!spec.choices.empty()) {
            mode_ = new QComboBox(this);
            mode_->addItem(tr("values"));
            for (const std::string& word : spec.choices)
                mode_->addItem(QString::fromStdString(word));
            mode_->setMinimumWidth(64);
            mode_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
            row()->addWidget(mode_);
            connect(mode_, &QComboBox::currentIndexChanged, this, [this] { edited(); });
        }
        for (int i = 0; i < spec.tupleSize; ++i) {
            if (i > 0)
                row()->addWidget(new QLabel(QStringLiteral("\u00d7"), this));
            auto* spin = new QSpinBox(this);
            spin->setRange(spec.minimum ? static_cast<int>(*spec.minimum) : -kSpinBoxLimit,
                spec.maximum ? static_cast<int>(*spec.maximum) : kSpinBoxLimit);
            spin->setMinimumWidth(48); // the size hint fits the range's widest value, far too wide here
            row()->addWidget(spin, 1);
            spins_.push_back(spin);
            connect(spin, &QSpinBox::valueChanged, this, [this] { edited(); });
        }
    }

    void setValue(const ParamValue& value, const std::optional<ParamValue>&) override
    {
        std::vector<QSignalBlocker> blockers;
        for (QSpinBox* spin : spins_)
            blockers.emplace_back(spin);
        if (mode_)
            blockers.emplace_back(mode_);
        const auto* word = std::get_if<std::string>(&value);
        if (mode_)
            mode_->setCurrentIndex(word ? std::max(0, mode_->findText(QString::fromStdString(*word))) : 0);
        engine::IntList list;
        if (auto* ints = std::get_if<engine::IntList>(&value))
            list = *ints;
        else if (auto* single = std::get_if<int64_t>(&value))
            list.assign(spins_.size(), *single);
        for (size_t i = 0; i < spins_.size() && i < list.size(); ++i)
            spins_[i]->setValue(static_cast<int>(list[i]));
        for (QSpinBox* spin : spins_)
            spin->setEnabled(!word);
    }

private:
    void edited()
    {
        const bool isWord = mode_ && mode_->currentIndex() > 0;
        for (QSpinBox* spin : spins_)
            spin->setEnabled(!isWord);
        if (isWord) {
            submit(mode_->currentText().toStdString());
            return;
        }
        engine::IntList list;
        for (QSpinBox* spin : spins_)
            list.push_back(spin->value());
        submit(list);
    }

    QComboBox* mode_ = nullptr;
    std::vector<QSpinBox*> spins_;
};

/// Auto: the spin box shows the inferred value, read-only. Unticking "auto" pins that value.
class InferredEditor : public ParamEditor {
public:
    explicit InferredEditor(const ParamSpec& spec)
        : ParamEditor(spec)
    {
        spin_ = new QSpinBox(this);
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
