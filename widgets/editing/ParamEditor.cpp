#include "widgets/editing/ParamEditor.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace netdraft::widgets {

ParamEditor::ParamEditor(engine::ParamSpec spec, QWidget* parent)
    : QWidget(parent)
    , spec_(std::move(spec))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    row_ = new QHBoxLayout;
    row_->setContentsMargins(0, 0, 0, 0);
    row_->setSpacing(4);
    layout->addLayout(row_);
    error_ = new QLabel(this);
    error_->setObjectName("parameterError");
    error_->setWordWrap(true);
    error_->setStyleSheet("color: #B91C1C;");
    error_->hide();
    layout->addWidget(error_);
    setToolTip(QString::fromStdString(spec_.helpText));
}

QString ParamEditor::errorText() const
{
    return error_->isHidden() ? QString() : error_->text();
}

void ParamEditor::showError(const QString& message)
{
    error_->setText(message);
    error_->setVisible(!message.isEmpty());
}

void ParamEditor::submit(engine::ParamValue value)
{
    if (auto problem = spec_.normalize(value)) {
        showError(QString::fromStdString(spec_.name + " " + *problem));
        return;
    }
    showError(QString());
    Q_EMIT valueEdited(value);
}

} // namespace netdraft::widgets
