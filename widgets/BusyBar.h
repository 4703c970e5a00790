#pragma once
// The small "working…" bar a window shows beside its controls while a LatestTask job runs: it moves
// without steps to count, shows no text and starts hidden.

#include <QProgressBar>
#include <QString>

namespace netdraft::widgets {

inline QProgressBar* makeBusyBar(const QString& objectName, const QString& toolTip)
{
    auto* bar = new QProgressBar;
    bar->setObjectName(objectName);
    bar->setRange(0, 0); // no steps to count: it moves while the worker works
    bar->setTextVisible(false);
    bar->setFixedWidth(100);
    bar->setToolTip(toolTip);
    bar->hide();
    return bar;
}

} // namespace netdraft::widgets
