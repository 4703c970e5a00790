#include "app/gui/RankProcesses.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QTimer>

namespace netdraft::app {

namespace {

constexpr int kKeptLines = 20;

/// The line that says what went wrong: the last "error:" or "failed:" line, else the last line.
QString errorLine(const QStringList& lines)
{
    for (auto line = lines.crbegin(); line != lines.crend(); ++line)
        if (line->contains(QLatin1String("error:")) || line->contains(QLatin1String("failed:")))
            return line->trimmed();
    return lines.isEmpty() ? QString() : lines.last().trimmed();
}

} // namespace

RankProcesses::RankProcesses(QObject* parent)
    : QObject(parent)
{
}

RankProcesses::~RankProcesses()
{
    stopping_ = true;
    for (Worker* worker : std::as_const(workers_)) {
        if (worker->process->state() != QProcess::NotRunning) {
            worker->process->kill();
            worker->process->waitForFinished(2000);
        }
        delete worker;
    }
}

void RankProcesses::start(const QString& program, const QStringList& arguments, const engine::LocalJob& job)
{
    stopping_ = false;
    for (int rank = 1; rank < job.processes; ++rank) {
        auto* worker = new Worker;
        worker->rank = rank;
        worker->process = new QProcess(this);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const std::string& name : engine::LocalJob::variablesToClear())
            environment.remove(QString::fromStdString(name));
        for (const auto& [name, value] : engine::LocalJob::variables(job.environment(rank)))
            environment.insert(QString::fromStdString(name), QString::fromStdString(value));
        worker->process->setProcessEnvironment(environment);
        worker->process->setProcessChannelMode(QProcess::MergedChannels);
        connect(worker->process, &QProcess::readyRead, this, [this, worker] { readOutput(*worker); });
        connect(worker->process, &QProcess::finished, this, [this, worker](int exitCode, QProcess::ExitStatus status) {
            onFinished(*worker, exitCode, status == QProcess::CrashExit);
        });
        connect(worker->process, &QProcess::errorOccurred, this, [this, worker](QProcess::ProcessError error) {
            if (error == QProcess::FailedToStart && !stopping_)
                Q_EMIT rankFailed(worker->rank,
                    tr("rank %1 could not start %2: %3")
                        .arg(worker->rank)
                        .arg(worker->process->program(), worker->process->errorString()));
        });
        workers_.append(worker);
        worker->process->start(program, arguments);
    }
}

void RankProcesses::stop(int graceMs)
{
    stopping_ = true;
    for (Worker* worker : std::as_const(workers_))
        if (worker->process->state() != QProcess::NotRunning)
            worker->process->terminate();
    QTimer::singleShot(graceMs, this, [this] {
        for (Worker* worker : std::as_const(workers_))
            if (worker->process->state() != QProcess::NotRunning)
                worker->process->kill();
    });
}

int RankProcesses::running() const
{
    int count = 0;
    for (const Worker* worker : workers_)
        count += worker->process->state() != QProcess::NotRunning ? 1 : 0;
    return count;
}

QString RankProcesses::lastOutput(int rank) const
{
    for (const Worker* worker : workers_)
        if (worker->rank == rank)
            return worker->lines.join(QLatin1Char('\n'));
    return {};
}

void RankProcesses::readOutput(Worker& worker)
{
    while (worker.process->canReadLine()) {
        worker.lines.append(QString::fromUtf8(worker.process->readLine()).trimmed());
        if (worker.lines.size() > kKeptLines)
            worker.lines.removeFirst();
    }
}

void RankProcesses::onFinished(Worker& worker, int exitCode, bool crashed)
{
    const QByteArray rest = worker.process->readAll();
    if (!rest.isEmpty())
        worker.lines.append(QString::fromUtf8(rest).trimmed());
    if (stopping_ || (!crashed && exitCode == 0))
        return;
    const QString why = crashed ? tr("rank %1 crashed").arg(worker.rank)
                                : tr("rank %1 exited with status %2").arg(worker.rank).arg(exitCode);
    const QString line = errorLine(worker.lines);
    Q_EMIT rankFailed(worker.rank, line.isEmpty() ? why : why + QStringLiteral(": ") + line);
}

} // namespace netdraft::app
