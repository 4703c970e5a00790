// `netdraft-cli train PROJECT`: trains a project from the command line. Checkpoints, final weights and
// metrics.jsonl (one JSON object per logged batch, per epoch and for the result) go to --out; Ctrl-C
// stops cleanly after writing a checkpoint. Started by torchrun (WORLD_SIZE set) it is one rank of a
// data-parallel job (docs/DISTRIBUTED.md).

#include "app/cli/Command.h"
#include "app/cli/ProjectRunOptions.h"
#include "engine/distributed/DistributedContext.h"
#include "engine/inference/ShapeInference.h"
#include "engine/io/ProjectFormat.h"
#include "engine/train/DeviceSelection.h"
#include "engine/train/MixedPrecision.h"
#include "engine/train/TrainingSession.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include <unistd.h>

namespace netdraft::app {
namespace {

using namespace netdraft::engine;
using Json = nlohmann::json;

TrainingSession* activeSession = nullptr;

extern "C" void stopOnInterrupt(int)
{
    if (activeSession)
        activeSession->requestStopFromSignal();
    static const char message[] = "\nStopping after this batch; press Ctrl-C again to abort.\n";
    [[maybe_unused]] auto written = ::write(STDERR_FILENO, message, sizeof message - 1);
    std::signal(SIGINT, SIG_DFL); // a second Ctrl-C ends the process
}

Json optionalNumber(const std::optional<double>& value)
{
    return value && std::isfinite(*value) ? Json(*value) : Json(nullptr);
}

std::string percent(const std::optional<double>& value)
{
    if (!value)
        return "-";
    std::ostringstream out;
    out << std::fixed << std::setprecision(1) << *value * 100 << " %";
    return out.str();
}

std::string duration(double seconds)
{
    const auto total = static_cast<int64_t>(std::max(0.0, seconds) + 0.5);
    char text[32];
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", static_cast<long long>(total / 3600),
        static_cast<long long>(total / 60 % 60), static_cast<long long>(total % 60));
    return text;
}

class TrainCommand : public Command {
public:
    const char* name() const override { return "train"; }
    const char* summary() const override { return "Train a project; write checkpoints, weights and metrics.jsonl"; }
    void addOptions(CLI::App& app) override
    {
        project_.addTo(app);
        app.add_option("--epochs", epochs_, "Override the project's epochs")->check(CLI::Range(1, 100000));
        app.add_option("--batch-size", batchSize_, "Override the batch size")->check(CLI::Range(1, 65536));
        app.add_option("--lr", learningRate_, "Override the learning rate")->check(CLI::Range(0.0, 10.0));
        app.add_option("--device", device_,
            "cpu, cuda or cuda:K; a list such as cuda:0,cuda:1 trains data-parallel on those devices "
            "(see `netdraft-cli devices`)");
        app.add_option("--precision", precision_,
               "fp32, or mixed precision: bf16 (CUDA, or a CPU with AVX-512 BF16/AMX: the CPU fast mode) or fp16 "
               "(CUDA, with loss scaling)")
            ->check(CLI::IsMember({ "fp32", "bf16", "fp16" }));
        app.add_flag("--channels-last,!--no-channels-last", channelsLast_,
            "Keep convolution weights and inputs in channels-last (NHWC) order");
        app.add_flag("--cudnn-benchmark,!--no-cudnn-benchmark", cudnnBenchmark_,
            "Let cuDNN time its algorithms per input shape and keep the fastest");
        app.add_flag("--deterministic,!--no-deterministic", deterministic_,
            "Only deterministic algorithms (slower; repeatable on the GPU)");
        app.add_option("--frozen-batch-norm", frozenBatchNorm_,
               "Frozen blocks while training: eval keeps their batch-norm statistics (the default), train lets "
               "them follow the new data (overrides frozen_batch_norm)")
            ->check(CLI::IsMember({ "eval", "train" }));
        app.add_option("--threads", threads_, "CPU threads (0 = all cores)")->check(CLI::Range(0, 1024));
        app.add_option("--seed", seed_, "Override the seed")->check(CLI::NonNegativeNumber);
        app.add_option("--out", outDirectory_, "Folder for checkpoints, weights and metrics.jsonl")
            ->capture_default_str();
        app.add_option("--resume", resumeFrom_, "Continue from this checkpoint.pt");
        app.add_option("--log-every", logEvery_, "Log every N-th batch to metrics.jsonl")
            ->check(CLI::Range(1, 1000000));
        app.add_option("--stats-every", statisticsEvery_,
               "Record each block's activation and gradient statistics every N batches into statistics.jsonl "
               "and print their epoch means (0 = off; overrides statistics_every)")
            ->check(CLI::Range(0, 1000000));
        app.add_option("--dist-timeout", distributedTimeout_,
               "Under torchrun: seconds a rank waits for the others before it stops, naming the rank that "
               "stopped responding")
            ->check(CLI::Range(1.0, 86400.0))
            ->capture_default_str();
        // A language model (text data, text_task next_token) prints sampled text after training.
        app.add_option("--sample-text", textSampling_.samples,
               "Language models: continuations to print after training, each from a prompt of the test part "
               "(0 = none)")
            ->check(CLI::Range(0, 100))
            ->capture_default_str();
        app.add_option("--sample-tokens", textSampling_.tokens, "Language models: tokens written per continuation")
            ->check(CLI::Range(1, 10000))
            ->capture_default_str();
        app.add_option("--temperature", textSampling_.temperature,
               "Language models: 0 picks the most likely next token (greedy); above 0 draws it from "
               "softmax(scores / temperature) with the project's seed")
            ->check(CLI::Range(0.0, 100.0))
            ->capture_default_str();
    }

    int run() override
    {
        std::optional<LoadedProject> loaded;
        try {
            loaded = project_.load();
            if (!loaded)
                return kExitCannotRead;
            applyOverrides(loaded->project);
            if (loaded->datasetNote)
                std::cout << *loaded->datasetNote << "\n";
            const TrainingSettings& training = loaded->project.training;
            checkPrecision(parsePrecision(training.precision), selectDevices(training.device));
        } catch (const Error& error) {
            std::cerr << "error: " << error.what() << "\n";
            return kExitFailed;
        }
        Project& project = loaded->project;
        if (const InferenceResult inference = inferShapes(project.graph); inference.hasErrors()) {
            std::cerr << "error: the design has errors; run `netdraft-cli validate` for details\n";
            for (const Problem& problem : inference.problems())
                if (problem.isError())
                    std::cerr << "  " << problem.toString() << "\n";
            return kExitDesignErrors;
        }
        if (outDirectory_.empty())
            outDirectory_ = std::filesystem::path(project_.projectPath()).stem().string() + "-training";
        std::shared_ptr<DistributedContext> distributed;
        try {
            distributed = joinDistributedJob(project.training);
        } catch (const Error& error) {
            std::cerr << "error: " << error.what() << "\n";
            return kExitFailed;
        }
        quiet_ = distributed && !distributed->isMain(); // only rank 0 reports and writes files
        std::filesystem::create_directories(outDirectory_);
        if (!quiet_)
            metrics_.open(std::filesystem::path(outDirectory_) / "metrics.jsonl",
                resumeFrom_.empty() ? std::ios::trunc : std::ios::app);
        if (!quiet_ && !metrics_) {
            std::cerr << "error: cannot write " << outDirectory_ << "/metrics.jsonl\n";
            return kExitFailed;
        }
        terminal_ = ::isatty(STDOUT_FILENO) == 1;

        TrainingSession session(project, loaded->directory, outDirectory_);
        session.setResumeFrom(resumeFrom_);
        session.setDistributed(distributed);
        session.setReportEveryBatches(terminal_ ? 1 : logEvery_);
        session.setTextSampling(textSampling_);
        int status = kExitOk;
        SessionCallbacks callbacks;
        callbacks.onLog = [this](const std::string& line) {
            if (!quiet_)
                std::cout << line << "\n";
        };
        callbacks.onError = [&](const std::string& message) {
            std::cerr << "error: " << message << "\n";
            status = kExitFailed;
        };
        if (!quiet_) {
            callbacks.onBatch = [this](const SessionBatch& batch) { onBatch(batch); };
            callbacks.onEpoch = [this](const SessionEpoch& epoch) { onEpoch(epoch); };
        }
        callbacks.onFinished = [&](const SessionOutcome& outcome) { status = onFinished(outcome); };
        session.setCallbacks(std::move(callbacks));

        activeSession = &session;
        auto previous = std::signal(SIGINT, stopOnInterrupt);
        session.start();
        std::signal(SIGINT, previous);
        activeSession = nullptr;
        if (distributed && !quiet_ && distributed->steps() > 0)
            std::cout << "distributed: waited " << std::fixed << std::setprecision(2)
                      << distributed->waitSeconds() * 1000.0 / static_cast<double>(distributed->steps())
                      << " ms per step for all-reduces (" << distributed->steps() << " steps)\n"
                      << std::defaultfloat;
        return status;
    }

private:
    /// Under torchrun: joins the job, takes this worker's share of the CPU cores and its GPU, and
    /// after a restart resumes from the last checkpoint. Null when not started as a worker.
    std::shared_ptr<DistributedContext> joinDistributedJob(TrainingSettings& training)
    {
        std::optional<DistributedEnvironment> environment = DistributedEnvironment::fromEnvironment();
        if (!environment || environment->worldSize < 2)
            return nullptr;
        environment->timeout = std::chrono::milliseconds(static_cast<int64_t>(distributedTimeout_ * 1000.0));
        const bool cuda = training.device.rfind("cuda", 0) == 0;
        if (training.device == "cuda")
            training.device = "cuda:" + std::to_string(environment->localRank);
        if (!threads_) // the workers on one machine share its cores
            training.threads = std::max<int64_t>(
                1, static_cast<int64_t>(std::thread::hardware_concurrency()) / environment->localWorldSize);
        std::shared_ptr<DistributedContext> context = DistributedContext::connect(*environment, cuda ? "nccl" : "gloo");
        const std::filesystem::path checkpoint = std::filesystem::path(outDirectory_) / "checkpoint.pt";
        if (environment->restartCount > 0 && resumeFrom_.empty() && std::filesystem::exists(checkpoint)) {
            resumeFrom_ = checkpoint.string();
            if (context->isMain())
                std::cout << "restart " << environment->restartCount << ": resuming from " << resumeFrom_ << "\n";
        }
        if (context->isMain())
            std::cout << "distributed: " << context->description() << "\n" << std::flush;
        return context;
    }

    void applyOverrides(Project& project) const
    {
        TrainingSettings& t = project.training;
        if (epochs_)
            t.epochs = *epochs_;
        if (batchSize_)
            t.batchSize = *batchSize_;
        if (learningRate_)
            t.learningRate = *learningRate_;
        if (device_)
            t.device = *device_;
        if (threads_)
            t.threads = *threads_;
        if (precision_)
            t.precision = *precision_;
        if (channelsLast_)
            t.channelsLast = *channelsLast_;
        if (cudnnBenchmark_)
            t.cudnnBenchmark = *cudnnBenchmark_;
        if (deterministic_)
            t.deterministic = *deterministic_;
        if (frozenBatchNorm_)
            t.frozenBatchNorm = *frozenBatchNorm_;
        if (seed_)
            t.seed = *seed_;
        if (statisticsEvery_)
            t.statisticsEvery = *statisticsEvery_;
    }

    void onBatch(const SessionBatch& batch)
    {
        if (batch.batch % logEvery_ == 0 || batch.batch == batch.batchesPerEpoch) {
            metrics_ << Json {
                { "type", "batch" }, { "epoch", batch.epoch }, { "batch", batch.batch }, { "step", batch.step },
                { "loss", batch.loss }, { "accuracy", optionalNumber(batch.accuracy) },
                { "learning_rate", batch.learningRate }, { "samples_per_second", batch.samplesPerSecond }
            }.dump() << "\n";
            if (!terminal_)
                std::cout << "epoch " << batch.epoch << "/" << batch.epochs << " batch " << batch.batch << "/"
                          << batch.batchesPerEpoch << " loss " << std::fixed << std::setprecision(4) << batch.loss
                          << std::defaultfloat << " " << static_cast<int64_t>(batch.samplesPerSecond) << " samples/s\n";
        }
        if (!terminal_)
            return;
        // Redraw at most ten times a second; the ETA assumes the pace so far holds.
        const auto now = std::chrono::steady_clock::now();
        if (!firstStep_) {
            firstStep_ = batch.step;
            started_ = now;
        }
        if (now - lastDraw_ < std::chrono::milliseconds(100) && batch.batch != batch.batchesPerEpoch)
            return;
        lastDraw_ = now;
        const double elapsed = std::chrono::duration<double>(now - started_).count();
        const int64_t done = batch.step - *firstStep_ + 1;
        const int64_t remaining
            = (batch.epochs - batch.epoch) * batch.batchesPerEpoch + batch.batchesPerEpoch - batch.batch;
        const int width = 24;
        const int filled = static_cast<int>(width * batch.batch / std::max<int64_t>(1, batch.batchesPerEpoch));
        std::cout << "\repoch " << batch.epoch << "/" << batch.epochs << " [" << std::string(filled, '#')
                  << std::string(width - filled, '.') << "] " << batch.batch << "/" << batch.batchesPerEpoch << " loss "
                  << std::fixed << std::setprecision(4) << batch.loss << std::defaultfloat
                  << (batch.accuracy ? " acc " + percent(batch.accuracy) : "") << " "
                  << static_cast<int64_t>(batch.samplesPerSecond) << " samples/s ETA "
                  << duration(elapsed / static_cast<double>(done) * static_cast<double>(remaining)) << "   "
                  << std::flush;
    }

    void onEpoch(const SessionEpoch& epoch)
    {
        metrics_ << Json { { "type", "epoch" }, { "epoch", epoch.epoch }, { "train_loss", epoch.trainLoss },
            { "train_accuracy", optionalNumber(epoch.trainAccuracy) },
            { "val_loss", optionalNumber(epoch.validationLoss) },
            { "val_accuracy", optionalNumber(epoch.validationAccuracy) },
            { "val_top5_accuracy", optionalNumber(epoch.validationTopFiveAccuracy) },
            { "val_mae", optionalNumber(epoch.validationMeanAbsoluteError) },
            { "val_rmse", optionalNumber(epoch.validationRootMeanSquaredError) },
            { "learning_rate", epoch.learningRate }, { "seconds", epoch.seconds }, { "improved", epoch.improved } }
                        .dump()
                 << "\n"
                 << std::flush;
        if (terminal_)
            std::cout << "\r\033[K";
        std::cout << "epoch " << epoch.epoch << "/" << epoch.epochs << ": loss " << std::fixed << std::setprecision(4)
                  << epoch.trainLoss;
        if (epoch.trainAccuracy)
            std::cout << ", accuracy " << percent(epoch.trainAccuracy);
        if (epoch.validationLoss)
            std::cout << " | validation loss " << *epoch.validationLoss;
        if (epoch.validationAccuracy)
            std::cout << ", accuracy " << percent(epoch.validationAccuracy);
        std::cout << std::defaultfloat << " (" << std::setprecision(3) << epoch.seconds << " s)"
                  << (epoch.improved ? " *" : "") << std::setprecision(6) << "\n";
        printStatistics(epoch.statistics);
    }

    /// The epoch's per-block means (--stats-every): output mean, std, zeros, max |x|; gradient norm.
    static void printStatistics(const std::vector<BlockStatistics>& blocks)
    {
        if (blocks.empty())
            return;
        std::printf("  %-24s %-10s %10s %10s %7s %10s %11s\n", "block", "type", "out mean", "out std", "zeros",
            "max |out|", "grad norm");
        for (const BlockStatistics& block : blocks) {
            const std::string label = block.label.size() > 24 ? block.label.substr(0, 23) + "~" : block.label;
            const std::string type = block.type.size() > 10 ? block.type.substr(0, 9) + "~" : block.type;
            char gradient[32] = "-";
            if (block.gradient)
                std::snprintf(gradient, sizeof gradient, "%.3g", block.gradientNorm);
            std::printf("  %-24s %-10s %10.3g %10.3g %6.1f%% %10.3g %11s\n", label.c_str(), type.c_str(),
                block.activation.mean, block.activation.std, block.activation.zeroFraction * 100.0,
                block.activation.maxAbs, gradient);
        }
        std::fflush(stdout);
    }

    int onFinished(const SessionOutcome& outcome)
    {
        const bool ok = outcome.stopReason != "failed" && outcome.stopReason != "nan";
        if (quiet_) {
            if (!ok)
                std::cerr << outcome.stopReason << ": " << outcome.message << "\n";
            return ok ? kExitOk : kExitFailed;
        }
        metrics_ << Json { { "type", "result" }, { "stop_reason", outcome.stopReason }, { "message", outcome.message },
            { "epochs_completed", outcome.epochsCompleted }, { "best_epoch", outcome.bestEpoch },
            { "test_loss", optionalNumber(outcome.testLoss) },
            { "test_accuracy", optionalNumber(outcome.testAccuracy) },
            { "test_top5_accuracy", optionalNumber(outcome.testTopFiveAccuracy) },
            { "test_mae", optionalNumber(outcome.testMeanAbsoluteError) },
            { "test_rmse", optionalNumber(outcome.testRootMeanSquaredError) },
            { "nonfinite_block", outcome.nonFiniteBlockId.empty() ? Json(nullptr) : Json(outcome.nonFiniteBlockId) } }
                        .dump()
                 << "\n"
                 << std::flush;
        if (terminal_)
            std::cout << "\r\033[K";
        std::cout << outcome.stopReason << ": " << outcome.message << "\n";
        if (outcome.testLoss) {
            std::cout << "test (" << outcome.testSamples << " samples): loss " << std::fixed << std::setprecision(4)
                      << *outcome.testLoss << std::defaultfloat;
            if (outcome.testAccuracy)
                std::cout << ", accuracy " << percent(outcome.testAccuracy);
            if (outcome.testTopFiveAccuracy)
                std::cout << ", top-5 " << percent(outcome.testTopFiveAccuracy);
            if (outcome.testMeanAbsoluteError)
                std::cout << ", MAE " << *outcome.testMeanAbsoluteError << ", RMSE "
                          << *outcome.testRootMeanSquaredError;
            std::cout << "\n";
        }
        if (!outcome.checkpointPath.empty())
            std::cout << "checkpoint: " << outcome.checkpointPath << "\n";
        if (!outcome.weightsPath.empty())
            std::cout << "weights: " << outcome.weightsPath << "\n";
        return ok ? kExitOk : kExitFailed;
    }

    ProjectRunOptions project_;
    std::optional<int64_t> epochs_;
    std::optional<int64_t> batchSize_;
    std::optional<double> learningRate_;
    std::optional<std::string> device_;
    std::optional<int64_t> threads_;
    std::optional<std::string> precision_;
    std::optional<bool> channelsLast_;
    std::optional<bool> cudnnBenchmark_;
    std::optional<bool> deterministic_;
    std::optional<std::string> frozenBatchNorm_;
    std::optional<int64_t> seed_;
    std::string outDirectory_;
    std::string resumeFrom_;
    int64_t logEvery_ = 10;
    std::optional<int64_t> statisticsEvery_;
    double distributedTimeout_ = 120.0;
    TextSamplingOptions textSampling_;
    bool quiet_ = false; ///< a rank other than 0: errors only
    std::optional<int64_t> firstStep_;
    std::chrono::steady_clock::time_point started_;
    std::chrono::steady_clock::time_point lastDraw_;
    bool terminal_ = false;
    std::ofstream metrics_;
};

NETDRAFT_REGISTER_COMMAND(TrainCommand);

} // namespace
} // namespace netdraft::app
