// Time per block (netdraft-cli summary --profile): every block is timed forward and backward, the
// whole passes are timed too (compared only in benchmarks), and bad options are refused by message.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/insight/BlockProfiler.h"
#include "engine/insight/NetworkCost.h"
#include "engine/network/CompiledNetwork.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <cmath>

using namespace netdraft::engine;

namespace {

Graph profiledCnn()
{
    GraphBuilder builder;
    builder.input({ 3, 32, 32 })
        .then("Conv2d", { { "out_channels", int64_t(16) }, { "kernel_size", int64_t(3) } }, "conv1")
        .then("ReLU", {}, "relu1")
        .then("MaxPool2d", { { "kernel_size", int64_t(2) } }, "pool1")
        .then("Conv2d", { { "out_channels", int64_t(32) }, { "kernel_size", int64_t(3) } }, "conv2")
        .then("ReLU", {}, "relu2")
        .then("Flatten", {}, "flatten")
        .then("Linear", { { "out_features", int64_t(10) } }, "fc")
        .output();
    return builder.graph();
}

std::string profilerErrorOf(const ProfileOptions& options)
{
    try {
        profileNetwork(CompiledNetwork::compile(profiledCnn()), options);
    } catch (const Error& error) {
        return error.what();
    }
    return {};
}

} // namespace

class BlockProfilerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyBlockIsTimedAndTheyAddUpToTheWholePass()
    {
        torch::set_num_threads(1);
        const CompiledNetwork network = CompiledNetwork::compile(profiledCnn());
        ProfileOptions options;
        options.batchSize = 16;
        options.batches = 8; // the machine's load moves single passes by tens of percent
        options.warmupBatches = 3;
        const NetworkProfile profile = profileNetwork(network, options);
        QCOMPARE(profile.device, std::string("cpu"));
        const NetworkCost cost = costOf(network);
        QVERIFY(profile.blocks.size() >= cost.blocks.size()); // the cost table leaves Output out
        for (const BlockCost& block : cost.blocks) {
            const BlockTiming* timing = profile.find(block.id);
            QVERIFY2(timing, block.id.c_str());
            QVERIFY2(timing->forwardMs > 0, block.id.c_str());
            // The Input block hands its tensor on: nothing of it runs backward.
            QVERIFY2(block.type == "Input" ? timing->backwardMs >= 0 : timing->backwardMs > 0, block.id.c_str());
        }
        // Times are not compared with each other here (a loaded CI machine makes any ratio flaky; bench/README
        // and docs/INSIGHT.md give measured figures): the totals are whole, finite passes.
        const QString figures = QString("blocks %1 / %2 ms forward, %3 / %4 ms backward")
                                    .arg(profile.blocksForwardMs())
                                    .arg(profile.forwardMs)
                                    .arg(profile.blocksBackwardMs())
                                    .arg(profile.backwardMs);
        qInfo("%s", qPrintable(figures));
        QVERIFY2(std::isfinite(profile.forwardMs) && profile.forwardMs > 0, qPrintable(figures));
        QVERIFY2(std::isfinite(profile.backwardMs) && profile.backwardMs > 0, qPrintable(figures));
    }

    void badOptionsAreRefusedByMessage()
    {
        ProfileOptions options;
        options.batchSize = 0;
        QCOMPARE(profilerErrorOf(options), std::string("profile: the batch size must be >= 1, got 0"));
        options = {};
        options.batches = 0;
        QCOMPARE(profilerErrorOf(options), std::string("profile: measure at least 1 batch, got 0"));
        options = {};
        options.device = "tpu";
        QVERIFY2(profilerErrorOf(options).find("tpu") != std::string::npos, profilerErrorOf(options).c_str());
    }
};

NETDRAFT_TEST(BlockProfilerTest);
#include "BlockProfilerTest.moc"
