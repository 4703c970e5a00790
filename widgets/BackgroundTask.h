#pragma once
// Runs slow engine work (loading a dataset, running a model, an export) on a thread of its own and
// hands the result, or the error message, back on the receiver's thread. The receiver must wait()
// for the returned thread before it is destroyed (QThread must not outlive a running thread); the
// thread deletes itself when it has finished.

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>

#include <exception>
#include <functional>
#include <optional>
#include <utility>

namespace netdraft::widgets {

/// The thread, not started yet: a caller that watches QThread::finished connects before start().
template <typename Result>
QThread* makeBackgroundTask(QObject* receiver, std::function<Result()> work,
                            std::function<void(std::optional<Result>, QString)> done)
{
    QPointer<QObject> guard(receiver);
    QThread* thread = QThread::create([work = std::move(work), done = std::move(done), guard]() mutable {
        std::optional<Result> result;
        QString failure;
        try {
            result = work();
        } catch (const std::exception& error) {
            failure = QString::fromStdString(error.what());
        }
        if (!guard)
            return;
        QMetaObject::invokeMethod(
            guard.data(),
            [done = std::move(done), result = std::move(result), failure, guard]() mutable {
                if (guard)
                    done(std::move(result), failure);
            },
            Qt::QueuedConnection);
    });
    QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    return thread;
}

/// makeBackgroundTask(), started at low priority.
template <typename Result>
QThread* startBackgroundTask(QObject* receiver, std::function<Result()> work,
                             std::function<void(std::optional<Result>, QString)> done)
{
    QThread* thread = makeBackgroundTask<Result>(receiver, std::move(work), std::move(done));
    thread->start(QThread::LowPriority);
    return thread;
}

} // namespace netdraft::widgets
