#pragma once
// The application's log: timestamped lines with a level, newest at the bottom.

#include <QPlainTextEdit>

namespace netdraft::widgets {

class LogWidget : public QPlainTextEdit {
    Q_OBJECT
public:
    enum class Level { Info, Warning, Error };
    explicit LogWidget(QWidget* parent = nullptr);

    /// Every line so far, for tests and copying.
    QString text() const { return toPlainText(); }

public Q_SLOTS:
    void append(const QString& message, netdraft::widgets::LogWidget::Level level = Level::Info);
    void info(const QString& message) { append(message, Level::Info); }
    void warning(const QString& message) { append(message, Level::Warning); }
    void error(const QString& message) { append(message, Level::Error); }
};

} // namespace netdraft::widgets
