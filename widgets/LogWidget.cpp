#include "widgets/LogWidget.h"

#include <QFontDatabase>
#include <QScrollBar>
#include <QTime>

namespace netdraft::widgets {

LogWidget::LogWidget(QWidget* parent)
    : QPlainTextEdit(parent)
{
    setObjectName(QStringLiteral("log"));
    setReadOnly(true);
    setMaximumBlockCount(5000); // a long run must not grow the document without bound
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
}

void LogWidget::append(const QString& message, Level level)
{
    static const char* const prefixes[] = { "", "warning: ", "error: " };
    const bool atBottom = verticalScrollBar()->value() == verticalScrollBar()->maximum();
    const QString time = QTime::currentTime().toString(QStringLiteral("HH:mm:ss"));
    for (const QString& line : message.split('\n'))
        appendPlainText(QStringLiteral("%1  %2%3").arg(time, QLatin1String(prefixes[int(level)]), line));
    if (atBottom)
        verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

} // namespace netdraft::widgets
