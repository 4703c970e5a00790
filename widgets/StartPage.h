#pragma once
// The start view: begin a blank project, one from a template, import a model, or reopen a recent
// file. Shown in place of the canvas at start-up and after File ▸ New; it only offers, the window does
// the work.

#include <QList>
#include <QString>
#include <QWidget>

class QPushButton;
class QVBoxLayout;

namespace netdraft::widgets {

class StartPage : public QWidget {
    Q_OBJECT
public:
    /// One offered file: its path, a title and a line that says what it is.
    struct Entry {
        QString path;
        QString title;
        QString detail;
    };

    explicit StartPage(QWidget* parent = nullptr);

    /// Each template becomes a button named "template:<file's base name>".
    void setTemplates(const QList<Entry>& templates);
    /// Each recent file becomes a button named "recent:<index>", the newest first.
    void setRecentFiles(const QList<Entry>& files);
    QPushButton* blankButton() const { return blank_; }

Q_SIGNALS:
    void blankChosen();
    void openChosen();
    void importChosen();
    void templateChosen(const QString& path);
    void recentChosen(const QString& path);

private:
    void fill(QVBoxLayout* column, const QList<Entry>& entries, const QString& namePrefix, bool recent,
        const QString& emptyText);

    QPushButton* blank_ = nullptr;
    QVBoxLayout* templates_ = nullptr;
    QVBoxLayout* recent_ = nullptr;
};

} // namespace netdraft::widgets
