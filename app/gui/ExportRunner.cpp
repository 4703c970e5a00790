#include "app/gui/ExportRunner.h"

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
    // The thread owns its copy of the request; the outcome is handed back through a queued call
    // into this object's thread.
    thread_ = QThread::create([this, request = std::move(request)] {
        bool ok = true;
        QString message;
        QStringList notes, files;
        try {
            const engine::ExportReport report = engine::exportProject(request);
            notes = toStringList(report.notes) + toStringList(report.warnings, tr("Warning: "));
            files = toStringList(report.files);
        } catch (const std::exception& error) {
            ok = false;
            message = QString::fromStdString(error.what());
        }
        QMetaObject::invokeMethod(
            this, [this, ok, message, notes, files] { Q_EMIT finished(ok, message, notes, files); },
            Qt::QueuedConnection);
    });
    connect(thread_, &QThread::finished, this, [this] {
        thread_->deleteLater();
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
