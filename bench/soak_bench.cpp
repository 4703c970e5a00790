// Soak benchmark: the desktop app trains the classic CNN for a long time (an hour by default) with
// its live plots, log and progress, and reports how the process's memory grows and how long the
// event loop was ever blocked.
//
//   netdraft_bench_soak [--minutes 60] [--samples 8000] [--csv soak.csv]
//
// Without a display it runs on Qt's offscreen platform (the widgets still paint into their backing
// store). Every 30 s it prints elapsed time, resident memory, batches and epochs plotted and the
// worst stall of that interval; at the end the memory growth per hour (least-squares slope after a
// five-minute warm-up), how much of it the plot data explains, and the worst stall overall.

#include "app/gui/MainWindow.h"
#include "app/gui/Prompts.h"
#include "engine/io/ProjectFormat.h"
#include "widgets/LogWidget.h"
#include "widgets/TrainingPlotWidget.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

using namespace netdraft;

namespace {

/// Answers every question without a dialog and prints errors.
class HeadlessPrompts : public app::Prompts {
public:
    SaveChoice askSaveChanges(QWidget*, const QString&) override { return SaveChoice::Discard; }
    bool askRestoreRecovery(QWidget*, const QString&, const QDateTime&) override { return false; }
    void showLoadErrors(QWidget*, const QString& path, const QString& details) override
    {
        std::fprintf(stderr, "cannot load %s: %s\n", qPrintable(path), qPrintable(details));
    }
    void showError(QWidget*, const QString& title, const QString& message) override
    {
        std::fprintf(stderr, "error: %s: %s\n", qPrintable(title), qPrintable(message));
    }
    QString askSavePath(QWidget*, const QString&) override { return {}; }
    QString askOpenPath(QWidget*, const QString&) override { return {}; }
    QString askExportPath(QWidget*, const QString&, const QString&, const QString&) override { return {}; }
    void showInformation(QWidget*, const QString&, const QString&) override { }
};

/// Resident set size of this process in MiB (VmRSS).
double residentMiB()
{
    std::ifstream status("/proc/self/status");
    std::string key;
    while (status >> key) {
        if (key == "VmRSS:") {
            double kib = 0;
            status >> kib;
            return kib / 1024.0;
        }
        status.ignore(1 << 20, '\n');
    }
    return 0;
}

struct Sample {
    double minutes;
    double rssMiB;
    int batchPoints;
    int epochPoints;
    qint64 worstStallMs; ///< in the interval that ends here
};

/// Least-squares slope of rss over minutes, in MiB per hour.
double growthPerHour(const std::vector<Sample>& samples)
{
    if (samples.size() < 2)
        return 0;
    double mx = 0, my = 0;
    for (const Sample& s : samples) {
        mx += s.minutes;
        my += s.rssMiB;
    }
    mx /= double(samples.size());
    my /= double(samples.size());
    double sxy = 0, sxx = 0;
    for (const Sample& s : samples) {
        sxy += (s.minutes - mx) * (s.rssMiB - my);
        sxx += (s.minutes - mx) * (s.minutes - mx);
    }
    return sxx > 0 ? sxy / sxx * 60.0 : 0;
}

std::optional<double> argument(int argc, char** argv, const char* name)
{
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == name)
            return std::atof(argv[i + 1]);
    return std::nullopt;
}

QString stringArgument(int argc, char** argv, const char* name)
{
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == name)
            return QString::fromLocal8Bit(argv[i + 1]);
    return {};
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QTemporaryDir folder;
    // The benchmark must not touch the user's settings, recent files or run history.
    qputenv("XDG_CONFIG_HOME", (folder.path() + "/config").toUtf8());
    qputenv("XDG_DATA_HOME", (folder.path() + "/data").toUtf8());
    QApplication application(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("NetdraftSoak"));
    QApplication::setApplicationName(QStringLiteral("netdraft-soak"));

    const double minutes = argument(argc, argv, "--minutes").value_or(60.0);
    const int64_t samples = int64_t(argument(argc, argv, "--samples").value_or(8000));
    const QString csvPath = stringArgument(argc, argv, "--csv");

    engine::Project project = engine::loadProjectFile(NETDRAFT_SOURCE_DIR "/projects/classic_cnn.netdraft");
    project.dataset.kind = "shapes";
    project.dataset.samples = samples;
    project.training.epochs = 100000; // stopped by the clock
    project.training.threads = 1;
    project.training.device = "cpu";
    const QString projectPath = folder.filePath(QStringLiteral("soak.netdraft"));
    engine::saveProjectFile(project, projectPath.toStdString());

    app::MainWindow window(std::make_unique<HeadlessPrompts>());
    window.resize(1400, 900);
    window.show();
    if (!window.openProject(projectPath))
        return 2;

    // The event loop's stalls: a 5 ms timer that notes how late each tick comes.
    QElapsedTimer clock;
    clock.start();
    qint64 lastTick = 0, worstInInterval = 0, worstOverall = 0, worstAt = 0;
    int ticks = 0, over50 = 0, over100 = 0;
    QTimer probe;
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        const qint64 late = std::max<qint64>(0, now - lastTick - probe.interval());
        lastTick = now;
        ++ticks;
        over50 += late > 50;
        over100 += late > 100;
        worstInInterval = std::max(worstInInterval, late);
        if (late > worstOverall) {
            worstOverall = late;
            worstAt = now;
        }
    });

    std::vector<Sample> history;
    const double startRss = residentMiB();
    std::printf("soak: classic CNN, %lld shapes, batch %lld, %.0f minutes, platform %s; RSS before training %.1f MiB\n",
        (long long)samples, (long long)project.training.batchSize, minutes, qPrintable(QApplication::platformName()),
        startRss);
    std::printf("%8s %10s %10s %8s %14s\n", "minutes", "RSS MiB", "batches", "epochs", "worst stall ms");
    std::fflush(stdout);

    QTimer sampler;
    sampler.setInterval(30000);
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        const Sample sample { double(clock.elapsed()) / 60000.0, residentMiB(), window.plot()->batchPointCount(),
            window.plot()->epochPointCount(), worstInInterval };
        worstInInterval = 0;
        history.push_back(sample);
        std::printf("%8.1f %10.1f %10d %8d %14lld\n", sample.minutes, sample.rssMiB, sample.batchPoints,
            sample.epochPoints, (long long)sample.worstStallMs);
        std::fflush(stdout);
    });

    QEventLoop loop;
    QObject::connect(&window, &app::MainWindow::trainingFinished, &loop, &QEventLoop::quit);
    if (!window.startTraining())
        return 2;
    lastTick = clock.elapsed();
    probe.start();
    sampler.start();
    QTimer::singleShot(int(minutes * 60000), [&] { window.action(QStringLiteral("trainStop"))->trigger(); });
    loop.exec();
    probe.stop();
    sampler.stop();

    // Growth after the warm-up (allocator pools, LibTorch caches, the first checkpoint).
    std::vector<Sample> steady;
    for (const Sample& s : history)
        if (s.minutes >= std::min(5.0, minutes / 4))
            steady.push_back(s);
    const double growth = growthPerHour(steady);
    const int batches = window.plot()->batchPointCount();
    // Per batch the plot keeps one BatchPoint (48 B) and four QCustomPlot points (16 B each).
    const double plotMiBPerHour = steady.size() >= 2
        ? double(steady.back().batchPoints - steady.front().batchPoints) * (48.0 + 4 * 16.0) / (1024.0 * 1024.0)
            / std::max(1e-9, (steady.back().minutes - steady.front().minutes) / 60.0)
        : 0;
    std::printf("\nsoak finished after %.1f minutes: %d batches, %d epochs plotted, %d log lines\n",
        double(clock.elapsed()) / 60000.0, batches, window.plot()->epochPointCount(),
        window.log()->document()->blockCount());
    if (!steady.empty())
        std::printf("RSS: %.1f MiB before training, %.1f MiB after warm-up (%.1f min), %.1f MiB at the end\n", startRss,
            steady.front().rssMiB, steady.front().minutes, history.back().rssMiB);
    std::printf("memory growth after warm-up: %.1f MiB per hour; plot data accounts for %.1f MiB per hour\n", growth,
        plotMiBPerHour);
    std::printf("event loop: %d ticks of a 5 ms timer; worst stall %lld ms (at minute %.1f); %d stalls over 50 ms, %d "
                "over 100 ms\n",
        ticks, (long long)worstOverall, double(worstAt) / 60000.0, over50, over100);

    if (!csvPath.isEmpty()) {
        QFile file(csvPath);
        if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            QTextStream out(&file);
            out << "minutes,rss_mib,batch_points,epoch_points,worst_stall_ms\n";
            for (const Sample& s : history)
                out << s.minutes << ',' << s.rssMiB << ',' << s.batchPoints << ',' << s.epochPoints << ','
                    << s.worstStallMs << '\n';
        }
    }
    return 0;
}
