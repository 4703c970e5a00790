// The engine's data-parallel parts without a launcher: the torchrun environment, the loader's shards,
// and ranks as threads of one process over Gloo on 127.0.0.1: bucketed gradient sums against one
// process's gradient on the whole batch, the step agreement and the reduced epoch figures, and a
// rank that never arrives named in the error.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/data/DataLoader.h"
#include "engine/distributed/DistributedContext.h"
#include "engine/distributed/GradientReducer.h"
#include "engine/train/DistributedTraining.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <future>
#include <map>
#include <mutex>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace netdraft::engine;

namespace {

int freePort()
{
    const int handle = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(handle, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(handle, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(handle);
    return ntohs(address.sin_port);
}

DistributedEnvironment environmentOf(int rank, int worldSize, int port, double timeoutSeconds = 20)
{
    DistributedEnvironment environment;
    environment.rank = rank;
    environment.worldSize = worldSize;
    environment.masterAddress = "127.0.0.1";
    environment.masterPort = port;
    environment.timeout = std::chrono::milliseconds(static_cast<int64_t>(timeoutSeconds * 1000));
    return environment;
}

/// Runs `body(context)` (a shared_ptr) on `worldSize` ranks, each a thread with its own context; returns their results.
template <typename Body>
auto onRanks(int worldSize, Body body)
{
    const int port = freePort();
    using Result = decltype(body(std::declval<const std::shared_ptr<DistributedContext>&>()));
    std::vector<std::future<Result>> ranks;
    for (int rank = 0; rank < worldSize; ++rank)
        ranks.push_back(std::async(std::launch::async, [=] {
            const std::shared_ptr<DistributedContext> context
                = DistributedContext::connect(environmentOf(rank, worldSize, port));
            return body(context);
        }));
    std::vector<Result> results;
    for (auto& rank : ranks)
        results.push_back(rank.get());
    return results;
}

/// A small MLP with the same seeded weights wherever it is built.
torch::nn::Sequential smallNetwork()
{
    // The ranks of onRanks() are threads of one process, and the seed and the draws that follow are
    // global: two ranks building at once interleaved their draws and got different weights.
    static std::mutex building;
    const std::lock_guard<std::mutex> lock(building);
    torch::manual_seed(11);
    return torch::nn::Sequential(torch::nn::Linear(5, 16), torch::nn::Tanh(), torch::nn::Linear(16, 16),
        torch::nn::Tanh(), torch::nn::Linear(16, 3));
}

/// One process's gradients of the mean cross-entropy over the whole batch.
std::vector<torch::Tensor> wholeBatchGradients(const torch::Tensor& inputs, const torch::Tensor& targets)
{
    torch::nn::Sequential network = smallNetwork();
    torch::nn::functional::cross_entropy(network->forward(inputs), targets).backward();
    std::vector<torch::Tensor> gradients;
    for (const torch::Tensor& parameter : network->parameters())
        gradients.push_back(parameter.grad().clone());
    return gradients;
}

} // namespace

class DistributedTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void environmentFromTorchrunVariables()
    {
        std::map<std::string, std::string> variables { { "WORLD_SIZE", "4" }, { "RANK", "3" },
            { "LOCAL_RANK", "1" }, { "LOCAL_WORLD_SIZE", "2" }, { "MASTER_ADDR", "10.0.0.1" },
            { "MASTER_PORT", "29400" }, { "TORCHELASTIC_USE_AGENT_STORE", "True" },
            { "TORCHELASTIC_RESTART_COUNT", "2" } };
        auto lookup = [&](const char* name) -> const char* {
            auto found = variables.find(name);
            return found == variables.end() ? nullptr : found->second.c_str();
        };
        const std::optional<DistributedEnvironment> environment = DistributedEnvironment::fromEnvironment(lookup);
        QVERIFY(environment);
        QCOMPARE(environment->rank, 3);
        QCOMPARE(environment->worldSize, 4);
        QCOMPARE(environment->localRank, 1);
        QCOMPARE(environment->localWorldSize, 2);
        QCOMPARE(environment->masterAddress, std::string("10.0.0.1"));
        QCOMPARE(environment->masterPort, 29400);
        QVERIFY(environment->agentStore);
        QCOMPARE(environment->storePrefix(), std::string("/worker/attempt_2/"));

        variables.erase("WORLD_SIZE");
        QVERIFY(!DistributedEnvironment::fromEnvironment(lookup));
        variables["WORLD_SIZE"] = "4";
        variables["RANK"] = "4";
        try {
            DistributedEnvironment::fromEnvironment(lookup);
            QFAIL("no error for RANK 4 of 4");
        } catch (const Error& error) {
            QCOMPARE(std::string(error.what()), std::string("distributed: RANK='4' must be a whole number from 0 to 3"));
        }
        variables["RANK"] = "0";
        variables.erase("MASTER_PORT");
        try {
            DistributedEnvironment::fromEnvironment(lookup);
            QFAIL("no error without MASTER_PORT");
        } catch (const Error& error) {
            QVERIFY(std::string(error.what()).find("MASTER_PORT is not") != std::string::npos);
        }
    }

    /// The shards of every batch, side by side, are the unsharded batch, augmentation included.
    void shardsPartitionEachBatch()
    {
        InMemoryDataset data;
        torch::manual_seed(4);
        data.inputs = torch::randint(0, 256, { 70, 3, 8, 8 }, torch::kInt64).to(torch::kUInt8);
        data.targets = torch::arange(70, torch::kInt64);
        data.inputScale = 255.0;
        LoaderOptions options;
        options.batchSize = 32;
        options.seed = 9;
        options.cropPadding = 2;
        options.horizontalFlip = true;
        options.prefetch = false;
        DataLoader whole(data, options);
        std::vector<std::unique_ptr<DataLoader>> shards;
        for (int64_t shard = 0; shard < 3; ++shard) {
            LoaderOptions part = options;
            part.shardIndex = shard;
            part.shardCount = 3;
            shards.push_back(std::make_unique<DataLoader>(data, part));
        }
        for (int64_t epoch = 0; epoch < 2; ++epoch) {
            whole.startEpoch(epoch);
            for (auto& shard : shards)
                shard->startEpoch(epoch);
            int64_t batches = 0;
            while (std::optional<Batch> batch = whole.next()) {
                std::vector<torch::Tensor> inputs, targets;
                std::vector<int64_t> sizes;
                for (auto& shard : shards) {
                    std::optional<Batch> part = shard->next();
                    QVERIFY(part);
                    inputs.push_back(part->inputs);
                    targets.push_back(part->targets);
                    sizes.push_back(part->size());
                }
                QVERIFY(torch::equal(torch::cat(targets), batch->targets));
                QVERIFY(torch::equal(torch::cat(inputs), batch->inputs));
                if (batch->size() == 32)
                    QCOMPARE(sizes, (std::vector<int64_t> { 11, 11, 10 }));
                ++batches;
            }
            QCOMPARE(batches, 3); // 32, 32, 6 (2 per shard)
            for (auto& shard : shards)
                QVERIFY(!shard->next());
        }
    }

    /// Each rank's gradient of its part weighted by its share, summed in buckets (several: a tiny cap),
    /// equals one process's gradient of the whole batch; a rank with no samples adds zeros.
    void bucketedSumEqualsWholeBatchGradient()
    {
        torch::manual_seed(5);
        const torch::Tensor inputs = torch::randn({ 10, 5 });
        const torch::Tensor targets = torch::randint(0, 3, { 10 }, torch::kInt64);
        const std::vector<torch::Tensor> expected = wholeBatchGradients(inputs, targets);
        for (int worldSize : { 2, 3 }) {
            // 10 samples: 5 and 5 on 2 ranks, 4, 3 and 3 on 3 ranks.
            const std::vector<std::vector<torch::Tensor>> results = onRanks(worldSize, [&](const std::shared_ptr<DistributedContext>& shared) {
                DistributedContext& context = *shared;
                torch::nn::Sequential network = smallNetwork();
                GradientReducer reducer(shared, network->parameters(), 256);
                const std::vector<torch::Tensor> inputParts = inputs.tensor_split(context.worldSize());
                const std::vector<torch::Tensor> targetParts = targets.tensor_split(context.worldSize());
                const torch::Tensor myInputs = inputParts[context.rank()], myTargets = targetParts[context.rank()];
                const torch::Tensor loss
                    = torch::nn::functional::cross_entropy(network->forward(myInputs), myTargets);
                const StepAgreement agreed = agreeOnStep(context, loss.item<double>(), myInputs.size(0), false);
                reducer.prepare(agreed.share);
                loss.backward();
                reducer.finish();
                std::vector<torch::Tensor> gradients;
                for (const torch::Tensor& parameter : network->parameters())
                    gradients.push_back(parameter.grad().clone());
                return gradients;
            });
            for (const std::vector<torch::Tensor>& gradients : results) {
                QCOMPARE(gradients.size(), expected.size());
                for (size_t i = 0; i < expected.size(); ++i)
                    QVERIFY2(torch::allclose(gradients[i], expected[i], 1e-5, 1e-6),
                        qPrintable(QString("rank gradient %1 differs by %2")
                                       .arg(i)
                                       .arg((gradients[i] - expected[i]).abs().max().item<double>())));
            }
        }
    }

    /// The global loss is the sample-weighted mean; a stop on any rank reaches all; epoch figures too.
    void agreementAndMetricsAreGlobal()
    {
        const std::vector<std::pair<StepAgreement, Metrics>> results = onRanks(2, [](const std::shared_ptr<DistributedContext>& shared) {
            DistributedContext& context = *shared;
            const bool first = context.rank() == 0;
            const StepAgreement agreed = agreeOnStep(context, first ? 1.0 : 4.0, first ? 3 : 1, !first);
            Metrics local;
            local.samples = first ? 30 : 10;
            local.loss = first ? 1.0 : 3.0;
            local.accuracy = first ? 0.5 : 1.0;
            return std::make_pair(agreed, reduceMetrics(context, local));
        });
        for (const auto& [agreed, metrics] : results) {
            QCOMPARE(agreed.samples, int64_t(4));
            QCOMPARE(agreed.loss, (1.0 * 3 + 4.0 * 1) / 4);
            QVERIFY(agreed.stop);
            QCOMPARE(metrics.samples, int64_t(40));
            QCOMPARE(metrics.loss, (30 * 1.0 + 10 * 3.0) / 40);
            QCOMPARE(*metrics.accuracy, (30 * 0.5 + 10 * 1.0) / 40);
        }
        QCOMPARE(results[0].first.share, 0.75);
        QCOMPARE(results[1].first.share, 0.25);
    }

    /// A rank that joins and then never takes part (alive, but stuck before the step): the other stops
    /// within the timeout, naming it. A killed or stopped process is named by tests/distributed's script.
    void silentRankIsNamed()
    {
        const int port = freePort();
        std::promise<void> leave;
        auto silent = std::async(std::launch::async, [&] {
            std::shared_ptr<DistributedContext> context = DistributedContext::connect(environmentOf(1, 2, port, 2));
            leave.get_future().wait();
        });
        std::shared_ptr<DistributedContext> context = DistributedContext::connect(environmentOf(0, 2, port, 2));
        context->setStep(5);
        const auto start = std::chrono::steady_clock::now();
        try {
            agreeOnStep(*context, 1.0, 1, false);
            QFAIL("the all-reduce finished without rank 1");
        } catch (const Error& error) {
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const std::string message = error.what();
            QVERIFY2(message.find("rank 0 stopped in the step's loss all-reduce") != std::string::npos, message.c_str());
            QVERIFY2(message.find("rank 1 still running but behind step 5") != std::string::npos, message.c_str());
            QVERIFY2(seconds < 2 + 10, qPrintable(QString::number(seconds))); // timeout + diagnosis, on a loaded machine
        }
        leave.set_value();
        silent.get();
    }
};

NETDRAFT_TEST(DistributedTest);
#include "DistributedTest.moc"
