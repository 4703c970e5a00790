#include "widgets/StartPage.h"

#include <QCommandLinkButton>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

namespace netdraft::widgets {

namespace {

QLabel* heading(const QString& text)
{
    auto* label = new QLabel(text);
    QFont font = label->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.2);
    label->setFont(font);
    return label;
}

/// A column with a heading and a scrolled list of buttons below it.
QVBoxLayout* addColumn(QHBoxLayout* row, const QString& title, int stretch)
{
    auto* column = new QVBoxLayout;
    column->addWidget(heading(title));
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* content = new QWidget;
    auto* list = new QVBoxLayout(content);
    list->setContentsMargins(0, 0, 0, 0);
    scroll->setWidget(content);
    column->addWidget(scroll, 1);
    row->addLayout(column, stretch);
    return list;
}

void clearLayout(QVBoxLayout* layout)
{
    while (QLayoutItem* item = layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
}

} // namespace

StartPage::StartPage(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("startPage"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(32, 24, 32, 24);
    auto* title = new QLabel(tr("Start a project"));
    QFont font = title->font();
    font.setPointSizeF(font.pointSizeF() * 1.8);
    title->setFont(font);
    outer->addWidget(title);
    auto* hint = new QLabel(tr("A blank project holds only the Input and the Output: drag layers from the Layers "
                               "panel onto the wire between them."));
    hint->setWordWrap(true);
    outer->addWidget(hint);
    outer->addSpacing(12);

    auto* row = new QHBoxLayout;
    row->setSpacing(24);
    auto* start = new QVBoxLayout;
    start->addWidget(heading(tr("New")));
    blank_ = new QCommandLinkButton(tr("Blank project"), tr("Input and Output only"));
    blank_->setObjectName(QStringLiteral("blankProject"));
    blank_->setDefault(true);
    connect(blank_, &QPushButton::clicked, this, &StartPage::blankChosen);
    start->addWidget(blank_);
    auto* open = new QCommandLinkButton(tr("Open…"), tr("A .netdraft project or a model file"));
    open->setObjectName(QStringLiteral("openProject"));
    connect(open, &QPushButton::clicked, this, &StartPage::openChosen);
    start->addWidget(open);
    auto* import = new QCommandLinkButton(tr("Import Model…"),
        tr("A PyTorch TorchScript file (or another "
           "import format) as blocks with its weights"));
    import->setObjectName(QStringLiteral("importModel"));
    connect(import, &QPushButton::clicked, this, &StartPage::importChosen);
    start->addWidget(import);
    start->addStretch(1);
    row->addLayout(start, 2);
    templates_ = addColumn(row, tr("Templates"), 3);
    recent_ = addColumn(row, tr("Recent"), 3);
    outer->addLayout(row, 1);
    setTemplates({});
    setRecentFiles({});
}

void StartPage::setTemplates(const QList<Entry>& templates)
{
    fill(templates_, templates, QStringLiteral("template:"), false, tr("No templates found."));
}

void StartPage::setRecentFiles(const QList<Entry>& files)
{
    fill(recent_, files, QStringLiteral("recent:"), true, tr("No recent projects."));
}

void StartPage::fill(
    QVBoxLayout* column, const QList<Entry>& entries, const QString& namePrefix, bool recent, const QString& emptyText)
{
    clearLayout(column);
    if (entries.isEmpty()) {
        auto* empty = new QLabel(emptyText);
        empty->setEnabled(false);
        column->addWidget(empty);
    }
    for (int index = 0; index < entries.size(); ++index) {
        const Entry& entry = entries[index];
        auto* button = new QCommandLinkButton(entry.title, entry.detail);
        button->setObjectName(
            namePrefix + (recent ? QString::number(index) : QFileInfo(entry.path).completeBaseName()));
        button->setToolTip(entry.path);
        const QString path = entry.path;
        connect(button, &QPushButton::clicked, this, [this, path, recent] {
            if (recent)
                Q_EMIT recentChosen(path);
            else
                Q_EMIT templateChosen(path);
        });
        column->addWidget(button);
    }
    column->addStretch(1);
}

} // namespace netdraft::widgets
