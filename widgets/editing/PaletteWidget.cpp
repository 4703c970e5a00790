#include "widgets/editing/PaletteWidget.h"

#include "editor/CategoryColors.h"
#include "editor/CompositeLibrary.h"
#include "editor/GraphDocument.h"
#include "editor/MimeTypes.h"
#include "editor/CompositeActions.h"
#include "engine/core/Error.h"
#include "engine/graph/CompositeEditing.h"
#include "engine/layers/LayerRegistry.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollBar>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace netdraft::widgets {

namespace {

constexpr int kTypeRole = Qt::UserRole;
constexpr int kSearchRole = Qt::UserRole + 1;
constexpr int kProjectCompositeRole = Qt::UserRole + 2; ///< true for the document's composites
constexpr int kOrderRole = Qt::UserRole + 3; ///< place in the category without a search

/// A tree whose layer entries drag as kLayerTypeMimeType.
class LayerTree : public QTreeWidget {
public:
    using QTreeWidget::QTreeWidget;

protected:
    QStringList mimeTypes() const override { return { editor::kLayerTypeMimeType }; }
    QMimeData* mimeData(const QList<QTreeWidgetItem*>& items) const override
    {
        for (QTreeWidgetItem* item : items)
            if (!item->data(0, kTypeRole).toString().isEmpty())
                return PaletteWidget::mimeDataFor(item->data(0, kTypeRole).toString());
        return nullptr;
    }
};

} // namespace

PaletteWidget::PaletteWidget(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(6);
    search_ = new QLineEdit(this);
    search_->setPlaceholderText(tr("Search layers…"));
    search_->setClearButtonEnabled(true);
    tree_ = new LayerTree(this);
    tree_->setHeaderHidden(true);
    tree_->setDragEnabled(true);
    tree_->setDragDropMode(QAbstractItemView::DragOnly);
    tree_->setRootIsDecorated(true);
    tree_->setIndentation(14);
    tree_->setFrameShape(QFrame::NoFrame);
    layout->addWidget(search_);
    layout->addWidget(tree_);

    std::map<std::string, QTreeWidgetItem*> categories;
    for (const engine::LayerType* type : engine::LayerRegistry::instance().all()) {
        const engine::LayerDescription& description = type->description();
        QTreeWidgetItem*& category = categories[description.category];
        if (!category) {
            category = new QTreeWidgetItem(tree_, { QString::fromStdString(description.category) });
            category->setIcon(0, editor::categoryIcon(description.category));
            category->setFlags(Qt::ItemIsEnabled);
            QFont bold = category->font(0);
            bold.setBold(true);
            category->setFont(0, bold);
        }
        auto* item = new QTreeWidgetItem(category, { QString::fromStdString(description.displayName) });
        item->setData(0, kOrderRole, category->childCount());
        item->setData(0, kTypeRole, QString::fromStdString(description.type));
        item->setData(0, kSearchRole,
            QString::fromStdString(description.type + " " + description.displayName + " " + description.category));
        item->setToolTip(0,
            QStringLiteral("<b>%1</b><p>%2</p>")
                .arg(QString::fromStdString(description.type).toHtmlEscaped(),
                    QString::fromStdString(description.help).toHtmlEscaped()));
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
    }
    composites_ = new QTreeWidgetItem(tree_, { tr("Composite") });
    composites_->setIcon(0, editor::categoryIcon("Composite"));
    composites_->setFlags(Qt::ItemIsEnabled);
    QFont bold = composites_->font(0);
    bold.setBold(true);
    composites_->setFont(0, bold);
    refreshComposites();
    tree_->expandAll();
    connect(search_, &QLineEdit::textChanged, this, &PaletteWidget::setFilter);
    tree_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(tree_, &QTreeWidget::customContextMenuRequested, this, &PaletteWidget::showContextMenu);
    connect(tree_, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        const QString type = item->data(0, kTypeRole).toString();
        if (!type.isEmpty())
            Q_EMIT layerActivated(type);
    });
}

QSize PaletteWidget::sizeHint() const
{
    // The widest entry (icon, indentation and text), the scroll bar and the margins.
    const int entries = static_cast<const QAbstractItemView*>(tree_)->sizeHintForColumn(0) + tree_->indentation();
    const int chrome = tree_->verticalScrollBar()->sizeHint().width() + layout()->contentsMargins().left()
        + layout()->contentsMargins().right() + 2 * tree_->frameWidth();
    return { std::min(entries + chrome, 260), QWidget::sizeHint().height() };
}

QMimeData* PaletteWidget::mimeDataFor(const QString& type)
{
    auto* mime = new QMimeData;
    mime->setData(editor::kLayerTypeMimeType, type.toUtf8());
    mime->setText(type);
    return mime;
}

void PaletteWidget::setDocument(editor::GraphDocument* document)
{
    if (document_)
        disconnect(document_, nullptr, this, nullptr);
    document_ = document;
    if (document_)
        connect(document_, &editor::GraphDocument::compositesChanged, this, &PaletteWidget::refreshComposites);
    refreshComposites();
}

void PaletteWidget::setLibraryFolder(const QString& folder)
{
    libraryFolder_ = folder;
    refreshComposites();
}

QStringList PaletteWidget::compositeTypes() const
{
    QStringList types;
    for (int i = 0; i < composites_->childCount(); ++i)
        types.push_back(composites_->child(i)->data(0, kTypeRole).toString());
    return types;
}

void PaletteWidget::refreshComposites()
{
    qDeleteAll(composites_->takeChildren());
    QStringList inProject;
    if (document_) {
        for (const engine::CompositeDefinition& definition : document_->project().graph.composites()) {
            const QString name = QString::fromStdString(definition.name);
            inProject.push_back(name);
            auto* item = new QTreeWidgetItem(composites_, { name });
            item->setData(0, kTypeRole, name);
            item->setData(0, kSearchRole, name + " composite");
            item->setData(0, kProjectCompositeRole, true);
            item->setToolTip(0,
                tr("<b>%1</b><p>Composite block of this project: %2 inner %3. Double-click an instance to edit "
                   "its inside; every instance follows. Right-click to rename or delete it.</p>")
                    .arg(name.toHtmlEscaped())
                    .arg(definition.blocks.size())
                    .arg(definition.blocks.size() == 1 ? tr("block") : tr("blocks")));
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
        }
    }
    const editor::CompositeLibrary library(libraryFolder_);
    for (const QString& name : library.names()) {
        if (inProject.contains(name))
            continue;
        auto* item = new QTreeWidgetItem(composites_, { tr("%1 (library)").arg(name) });
        item->setData(0, kTypeRole, name);
        item->setData(0, kSearchRole, name + " composite library");
        item->setToolTip(0,
            tr("<b>%1</b><p>From your composite library (%2); placing it adds it to the project.</p>")
                .arg(name.toHtmlEscaped(), library.folder().toHtmlEscaped()));
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
    }
    composites_->setHidden(composites_->childCount() == 0);
    composites_->setExpanded(true);
    if (!search_->text().isEmpty())
        setFilter(search_->text());
}

namespace {

/// How well a palette entry answers a search: 0 its name is the text, 1 its name starts with it, 2 a
/// word of its name starts with it, 3 the text is elsewhere in its name or keywords, -1 no match.
int searchRank(const QTreeWidgetItem& item, const QString& text)
{
    const QString name = item.text(0), type = item.data(0, kTypeRole).toString();
    if (name.compare(text, Qt::CaseInsensitive) == 0 || type.compare(text, Qt::CaseInsensitive) == 0)
        return 0;
    if (name.startsWith(text, Qt::CaseInsensitive) || type.startsWith(text, Qt::CaseInsensitive))
        return 1;
    if (name.contains(QLatin1Char(' ') + text, Qt::CaseInsensitive))
        return 2;
    return item.data(0, kSearchRole).toString().contains(text, Qt::CaseInsensitive) ? 3 : -1;
}

} // namespace

void PaletteWidget::setFilter(const QString& text)
{
    const QString wanted = text.trimmed();
    for (int i = 0; i < tree_->topLevelItemCount(); ++i) {
        QTreeWidgetItem* category = tree_->topLevelItem(i);
        // Searching "ReLU" or "MaxPool2d" puts that layer first in its category, above LeakyReLU or
        // AdaptiveMaxPool2d, so the first entry is the one asked for; no search restores the order.
        QList<QTreeWidgetItem*> items = category->takeChildren();
        auto order = [](const QTreeWidgetItem* item) { return item->data(0, kOrderRole).toInt(); };
        std::stable_sort(items.begin(), items.end(), [&](const QTreeWidgetItem* a, const QTreeWidgetItem* b) {
            if (!wanted.isEmpty()) {
                const int rankA = searchRank(*a, wanted), rankB = searchRank(*b, wanted);
                if (rankA != rankB)
                    return rankA >= 0 && (rankB < 0 || rankA < rankB);
            }
            return order(a) < order(b);
        });
        category->addChildren(items);
        int shown = 0;
        for (QTreeWidgetItem* item : items) {
            const bool match = wanted.isEmpty() || searchRank(*item, wanted) >= 0;
            item->setHidden(!match);
            shown += match ? 1 : 0;
        }
        category->setHidden(shown == 0);
    }
}

QMenu* PaletteWidget::compositeMenu(const QString& type)
{
    if (!document_ || !document_->project().graph.findComposite(type.toStdString()))
        return nullptr;
    auto* menu = new QMenu(this);
    QAction* rename = menu->addAction(tr("Rename %1\u2026").arg(type), this, [this, type] { askToRename(type); });
    rename->setObjectName(QStringLiteral("renameComposite"));
    QMenu* ports = menu->addMenu(tr("Rename Port"));
    ports->setObjectName(QStringLiteral("renameCompositePort"));
    const engine::CompositeDefinition& definition = *document_->project().graph.findComposite(type.toStdString());
    for (const bool input : { true, false }) {
        for (const std::string& name : input ? definition.inputNames() : definition.outputNames()) {
            const QString port = QString::fromStdString(name);
            QAction* action = ports->addAction(input ? tr("Input %1\u2026").arg(port) : tr("Output %1\u2026").arg(port),
                this, [this, type, input, port] { askToRenamePort(type, input, port); });
            action->setObjectName((input ? QStringLiteral("input:") : QStringLiteral("output:")) + port);
        }
    }
    ports->setEnabled(!ports->isEmpty());
    QAction* remove = menu->addAction(tr("Delete %1\u2026").arg(type), this, [this, type] { askToDelete(type); });
    remove->setObjectName(QStringLiteral("deleteComposite"));
    return menu;
}

void PaletteWidget::showContextMenu(const QPoint& position)
{
    QTreeWidgetItem* item = tree_->itemAt(position);
    if (!item || !item->data(0, kProjectCompositeRole).toBool())
        return;
    QMenu* menu = compositeMenu(item->data(0, kTypeRole).toString());
    if (!menu)
        return;
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(tree_->viewport()->mapToGlobal(position));
}

void PaletteWidget::askToRename(const QString& type)
{
    if (const QString name = editor::askNewCompositeName(this, type); !name.isEmpty())
        renameComposite(type, name);
}

void PaletteWidget::askToDelete(const QString& type)
{
    if (!document_)
        return;
    const std::vector<std::string> uses = engine::compositeUses(document_->project().graph, type.toStdString());
    QStringList names;
    bool nested = false;
    for (const std::string& use : uses) {
        names << QString::fromStdString(use);
        nested = nested || use.find('/') != std::string::npos;
    }
    if (uses.empty()) {
        deleteComposite(type);
    } else if (nested) {
        deleteComposite(type); // refused, naming the uses
    } else if (QMessageBox::question(this, tr("Delete Composite Block"),
                   tr("%1 is used by %2. Ungroup those blocks (they keep working as plain blocks) and delete the "
                      "definition?")
                       .arg(type, names.join(QStringLiteral(", "))),
                   QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
        == QMessageBox::Yes) {
        deleteComposite(type, true);
    }
}

void PaletteWidget::askToRenamePort(const QString& type, bool input, const QString& port)
{
    if (const QString name = editor::askNewPortName(this, type, input, port); !name.isEmpty())
        renameCompositePort(type, input, port, name);
}

bool PaletteWidget::reportRefusal(const QString& why)
{
    if (!why.isEmpty())
        Q_EMIT statusMessage(why);
    return why.isEmpty();
}

bool PaletteWidget::renameCompositePort(const QString& type, bool input, const QString& from, const QString& to)
{
    return document_ && reportRefusal(editor::renameCompositePort(*document_, type, input, from, to));
}

bool PaletteWidget::renameComposite(const QString& from, const QString& to)
{
    return document_ && reportRefusal(editor::renameComposite(*document_, from, to));
}

bool PaletteWidget::deleteComposite(const QString& name, bool ungroupInstances)
{
    return document_ && reportRefusal(editor::deleteComposite(*document_, name, ungroupInstances));
}

} // namespace netdraft::widgets
