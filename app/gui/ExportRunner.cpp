#include "app/gui/ExportRunner.h"

#include "widgets/BackgroundTask.h"

#include <QThread>

namespace netdraft::app {

namespace {

QStringList toStringList(const std::vector<std::string>& lines, const QString& prefix = {})
{
    QStringList list;
    for (const std::string& line : lines)
        list << prefix + QString::fromStdString(line);
    return list;
}

} // namespace

ExportRunner::ExportRunner(QObject* parent)
    : QObject(parent)
{
}

ExportRunner::~ExportRunner()
{
    wait();
    delete thread_;
}

bool ExportRunner::start(engine::ExportRequest request)
{
    if (thread_)
        return false;
    // The thread owns its copy of the request; the outcome comes back on this object's thread.
    thread_ = widgets::makeBackgroundTask<engine::ExportReport>(
        this, [request = std::move(request)] { return engine::exportProject(request); },
        [this](std::optional<engine::ExportReport> report, const QString& failure) {
            if (!report) {
                Q_EMIT finished(false, failure, {}, {});
                return;
            }
            Q_EMIT finished(true, QString(), toStringList(report->notes) + toStringList(report->warnings, tr("Warning: ")),
                toStringList(report->files));
        });
    // The thread deletes itself when it has finished.
    connect(thread_, &QThread::finished, this, [this] {
        thread_ = nullptr;
        Q_EMIT runningChanged(false);
    });
    thread_->start();
    Q_EMIT runningChanged(true);
    return true;
}

void ExportRunner::wait()
{
    if (thread_)
        thread_->wait();
}

} // namespace netdraft::app
