#include "app/gui/ExperimentRun.h"

#include "engine/core/Error.h"

#include <QElapsedTimer>
#include <QThread>

namespace netdraft::app {

ExperimentRun::ExperimentRun(
    std::vector<engine::Trial> trials, std::vector<std::string> keys, engine::SweepOptions options, QObject* parent)
    : QObject(parent)
    , runner_(std::move(trials), std::move(keys), std::move(options))
{
    timer_.setInterval(50);
    connect(&timer_, &QTimer::timeout, this, &ExperimentRun::tick);
    runner_.setCallbacks({ [this](const engine::TrialRow& row, int) { Q_EMIT trialStarted(row); },
        [this](const engine::TrialRow& row) { Q_EMIT trialFinished(row); } });
}

ExperimentRun::~ExperimentRun()
{
    timer_.stop();
    runner_.requestStop();
    runner_.requestKill();
    runner_.setCallbacks({});
    while (runner_.advance()) { } // kills and reaps what runs; nothing new starts
}

bool ExperimentRun::start(QString* error)
{
    try {
        runner_.begin();
    } catch (const std::exception& failure) {
        *error = QString::fromUtf8(failure.what());
        return false;
    }
    timer_.start();
    return true;
}

void ExperimentRun::stopAndWait(int milliseconds)
{
    if (!timer_.isActive())
        return;
    timer_.stop();
    runner_.requestStop();
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        bool going = true;
        try {
            going = runner_.advance();
        } catch (const std::exception&) { // results.csv could not be written: keep stopping
        }
        if (!going)
            break;
        if (waited.elapsed() > milliseconds)
            runner_.requestKill();
        QThread::msleep(20);
    }
    Q_EMIT finished();
}

bool ExperimentRun::addTrials(std::vector<engine::Trial> trials, QString* error)
{
    try {
        runner_.addTrials(std::move(trials));
    } catch (const std::exception& failure) {
        *error = QString::fromUtf8(failure.what());
        return false;
    }
    if (!timer_.isActive())
        timer_.start();
    return true;
}

QString ExperimentRun::trialFolder(int number) const
{
    return QString::fromStdString(engine::SweepRunner::trialDirectory(runner_.options().outputDirectory, number));
}

void ExperimentRun::tick()
{
    bool going = false;
    try {
        going = runner_.advance();
    } catch (const std::exception&) { // results.csv could not be written: the table here still holds
        going = true;
    }
    if (++ticks_ % 10 == 0)
        reportProgress();
    if (!going) {
        timer_.stop();
        Q_EMIT finished();
    }
}

void ExperimentRun::reportProgress()
{
    for (const auto& row : runner_.table().rows) {
        if (row.status != engine::TrialStatus::Running)
            continue;
        const auto record = engine::readTrainingRun((trialFolder(row.number) + "/metrics.jsonl").toStdString());
        Q_EMIT trialProgress(
            row.number, qint64(record.epochs.size()), qint64(runner_.trial(row.number).project.training.epochs));
    }
}

} // namespace netdraft::app
