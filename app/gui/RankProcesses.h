#pragma once
// The worker processes of a data-parallel run started from the app ("Processes" in the training
// settings): ranks 1…N-1 as `netdraft-cli train` processes with torchrun's variables set, while rank 0
// trains in the app itself and reports to the usual panels. A rank that fails is named.

#include "engine/distributed/LocalJob.h"

#include <QObject>
#include <QStringList>
#include <QVector>

class QProcess;

namespace netdraft::app {

class RankProcesses : public QObject {
    Q_OBJECT
public:
    explicit RankProcesses(QObject* parent = nullptr);
    /// Kills the processes still running.
    ~RankProcesses() override;

    /// Starts ranks 1…job.processes-1 as `program arguments…`, each with its rank's variables.
    void start(const QString& program, const QStringList& arguments, const engine::LocalJob& job);
    /// Ends the processes still running: asks them to stop (SIGTERM), kills them after `graceMs`.
    /// Their ends are no longer reported as failures.
    void stop(int graceMs);
    /// Processes still running.
    int running() const;
    /// The last lines rank `rank` wrote (stdout and stderr), for error messages.
    QString lastOutput(int rank) const;

Q_SIGNALS:
    /// Rank `rank` could not start, crashed or exited with a non-zero status; `message` names it and
    /// quotes its last error line.
    void rankFailed(int rank, const QString& message);

private:
    struct Worker {
        int rank = 0;
        QProcess* process = nullptr;
        QStringList lines;
    };
    void onFinished(Worker& worker, int exitCode, bool crashed);
    void readOutput(Worker& worker);

    QVector<Worker*> workers_;
    bool stopping_ = false;
};

} // namespace netdraft::app
