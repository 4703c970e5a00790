#include "widgets/StartPage.h"

#include <QCommandLinkButton>
#include <QFileInfo>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>

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

/// A column with a heading and a list of buttons below it; the whole page scrolls, not the column.
QVBoxLayout* addColumn(QHBoxLayout* row, const QString& title, int stretch)
{
    auto* column = new QVBoxLayout;
    column->addWidget(heading(title));
    auto* list = new QVBoxLayout;
    list->setContentsMargins(0, 0, 0, 0);
    column->addLayout(list, 1);
    row->addLayout(column, stretch);
    return list;
}

/// A command link whose description wraps to the column's width instead of widening the column (at
/// 1366×768 the page has about 700 px for three columns). QCommandLinkButton's own heightForWidth
/// leaves the last wrapped line cut off, so the height is measured here from the wrapped text.
class WrappingLink : public QCommandLinkButton {
public:
    WrappingLink(const QString& title, const QString& detail)
        : QCommandLinkButton(title, detail)
    {
        QSizePolicy policy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        policy.setHeightForWidth(true);
        setSizePolicy(policy);
    }

    int heightForWidth(int width) const override
    {
        constexpr int iconAndMargins = 48; // the arrow icon, its gap and the frame's margins
        const int textWidth = std::max(60, width - iconAndMargins);
        QFont titleFont = font();
        titleFont.setBold(true);
        titleFont.setPointSizeF(titleFont.pointSizeF() * 1.1);
        const int title = QFontMetrics(titleFont)
                              .boundingRect(QRect(0, 0, textWidth, 0), Qt::TextWordWrap, text())
                              .height();
        const int detail = QFontMetrics(font())
                               .boundingRect(QRect(0, 0, textWidth, 0), Qt::TextWordWrap, description())
                               .height();
        return title + detail + 24;
    }

    QSize sizeHint() const override { return { 160, heightForWidth(width() > 0 ? width() : 240) }; }
    QSize minimumSizeHint() const override { return { 120, heightForWidth(width() > 0 ? width() : 240) }; }
};

QCommandLinkButton* wrappingLink(const QString& title, const QString& detail) { return new WrappingLink(title, detail); }

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
    auto* page = new QVBoxLayout(this);
    page->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    page->addWidget(scroll);
    auto* content = new QWidget;
    scroll->setWidget(content);
    auto* outer = new QVBoxLayout(content);
    outer->setContentsMargins(24, 16, 24, 16);
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
    blank_ = wrappingLink(tr("Blank project"), tr("Input and Output only"));
    blank_->setObjectName(QStringLiteral("blankProject"));
    blank_->setDefault(true);
    connect(blank_, &QPushButton::clicked, this, &StartPage::blankChosen);
    start->addWidget(blank_);
    auto* open = wrappingLink(tr("Open…"), tr("A .netdraft project or a model file"));
    open->setObjectName(QStringLiteral("openProject"));
    connect(open, &QPushButton::clicked, this, &StartPage::openChosen);
    start->addWidget(open);
    auto* import = wrappingLink(tr("Import Model…"), tr("A TorchScript or ONNX model as blocks with its weights"));
    import->setObjectName(QStringLiteral("importModel"));
    connect(import, &QPushButton::clicked, this, &StartPage::importChosen);
    start->addWidget(import);
    start->addStretch(1);
    row->addLayout(start, 2);
    templates_ = addColumn(row, tr("Templates"), 3);
    recent_ = addColumn(row, tr("Recent"), 3);
    outer->addLayout(row);
    outer->addStretch(1);
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
        auto* button = wrappingLink(entry.title, entry.detail);
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
