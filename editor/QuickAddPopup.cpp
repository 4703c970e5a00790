#include "editor/QuickAddPopup.h"

#include "editor/CategoryColors.h"
#include "engine/layers/LayerRegistry.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

namespace netdraft::editor {

QuickAddPopup::QuickAddPopup(QWidget* parent)
    : QFrame(parent, Qt::Popup)
{
    setFrameShape(QFrame::StyledPanel);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    search_ = new QLineEdit(this);
    search_->setPlaceholderText(tr("Add layer…"));
    search_->setClearButtonEnabled(true);
    list_ = new QListWidget(this);
    list_->setUniformItemSizes(true);
    layout->addWidget(search_);
    layout->addWidget(list_);
    resize(280, 320);
    for (const engine::LayerType* type : engine::LayerRegistry::instance().all()) {
        const auto& description = type->description();
        auto* item = new QListWidgetItem(
            categoryIcon(description.category), QString::fromStdString(description.displayName), list_);
        item->setData(Qt::UserRole, QString::fromStdString(description.type));
        item->setToolTip(QString::fromStdString(description.help));
        // Searchable text: type, display name and category.
        item->setData(Qt::UserRole + 1,
            QString::fromStdString(description.type + " " + description.displayName + " " + description.category));
        if (description.displayName != description.type)
            item->setText(item->text() + QStringLiteral("  (%1)").arg(QString::fromStdString(description.type)));
    }
    connect(search_, &QLineEdit::textChanged, this, &QuickAddPopup::filter);
    connect(search_, &QLineEdit::returnPressed, this, &QuickAddPopup::choose);
    connect(list_, &QListWidget::itemActivated, this, &QuickAddPopup::choose);
    search_->installEventFilter(this);
}

void QuickAddPopup::popup(QPoint globalPos)
{
    search_->clear();
    filter(QString());
    move(globalPos);
    show();
    search_->setFocus();
}

void QuickAddPopup::filter(const QString& text)
{
    // Return takes the first type whose name starts with the text ("maxpool2" is MaxPool2d, not
    // AdaptiveMaxPool2d), else the first entry that matches at all.
    QListWidgetItem* first = nullptr;
    QListWidgetItem* firstByName = nullptr;
    for (int i = 0; i < list_->count(); ++i) {
        QListWidgetItem* item = list_->item(i);
        const bool match = item->data(Qt::UserRole + 1).toString().contains(text, Qt::CaseInsensitive);
        item->setHidden(!match);
        if (match && !first)
            first = item;
        if (match && !firstByName && item->data(Qt::UserRole).toString().startsWith(text, Qt::CaseInsensitive))
            firstByName = item;
    }
    list_->setCurrentItem(firstByName ? firstByName : first);
}

void QuickAddPopup::choose()
{
    QListWidgetItem* item = list_->currentItem();
    if (!item || item->isHidden())
        return;
    const QString type = item->data(Qt::UserRole).toString();
    hide();
    Q_EMIT layerChosen(type);
}

bool QuickAddPopup::eventFilter(QObject* watched, QEvent* event)
{
    // Up/Down in the search field walk the visible entries of the list.
    if (watched == search_ && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Down || key->key() == Qt::Key_Up) {
            int row = list_->currentRow();
            const int step = key->key() == Qt::Key_Down ? 1 : -1;
            for (int next = row + step; next >= 0 && next < list_->count(); next += step)
                if (!list_->item(next)->isHidden()) {
                    list_->setCurrentRow(next);
                    break;
                }
            return true;
        }
    }
    return QFrame::eventFilter(watched, event);
}

} // namespace netdraft::editor
