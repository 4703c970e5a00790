// The histograms of the per-block statistics (training setting statistics_every): each block's output
// and gradient histogram against torch::histc and a count by hand on the same batch and weights;
// statistics.jsonl lines with histograms read back, older lines without them still read, and bad lines
// are refused by message.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/model/GraphModel.h"
#include "engine/network/CompiledNetwork.h"
#include "engine/train/BlockStatisticsRecorder.h"
#include "tests/engine/TrainingFixtures.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <fstream>

using namespace netdraft::engine;
using netdraft::tests::blobs;
using netdraft::tests::smallClassifier;

namespace {

torch::nn::Linear linearOf(const GraphModel& model, const std::string& id)
{
    return torch::nn::Linear(std::dynamic_pointer_cast<torch::nn::LinearImpl>(model->blockModule(id)));
}

/// torch::histc of `values` over their own range, as the recorder is to count them.
std::vector<double> histcCounts(const torch::Tensor& values, int64_t bins, double low, double high)
{
    const torch::Tensor counts = torch::histc(values.detach().flatten().to(torch::kFloat), bins, low, high);
    return std::vector<double>(counts.data_ptr<float>(), counts.data_ptr<float>() + bins);
}

/// Each value into bin floor((x - low) · bins / (high - low)), the top edge into the last bin.
std::vector<double> countByHand(const torch::Tensor& values, int64_t bins, double low, double high)
{
    std::vector<double> counts(bins, 0.0);
    const torch::Tensor x = values.detach().flatten().to(torch::kDouble).contiguous();
    for (int64_t i = 0; i < x.numel(); ++i) {
        const double value = x.data_ptr<double>()[i];
        counts[std::min<int64_t>(bins - 1, static_cast<int64_t>((value - low) * bins / (high - low)))] += 1;
    }
    return counts;
}

void compareHistogram(const std::optional<ValueHistogram>& recorded, const torch::Tensor& reference, const char* what)
{
    QVERIFY2(recorded, what);
    const torch::Tensor flat = reference.detach().flatten().to(torch::kFloat);
    QCOMPARE(recorded->low, static_cast<double>(flat.min().item<float>()));
    QCOMPARE(recorded->high, static_cast<double>(flat.max().item<float>()));
    QCOMPARE(recorded->counts.size(), size_t(BlockStatisticsRecorder::kHistogramBins));
    QCOMPARE(recorded->counts, histcCounts(flat, 30, recorded->low, recorded->high));
    // By hand: the same counts but for a value on a bin's edge, where float and double may round apart.
    const std::vector<double> byHand = countByHand(flat, 30, recorded->low, recorded->high);
    double moved = 0;
    for (size_t bin = 0; bin < byHand.size(); ++bin)
        moved += std::abs(byHand[bin] - recorded->counts[bin]);
    QVERIFY2(moved <= 2, (std::string(what) + ": " + std::to_string(moved) + " values in other bins by hand").c_str());
    double total = 0;
    for (double count : recorded->counts)
        total += count;
    QCOMPARE(total, static_cast<double>(flat.numel()));
}

StatisticsRecord recordOneBatch(GraphModel& model, const CompiledNetwork& network, const torch::Tensor& x,
    const torch::Tensor& y, int64_t bins = BlockStatisticsRecorder::kHistogramBins)
{
    BlockStatisticsRecorder recorder(model, RunBlockNames::of(network), bins);
    recorder.start();
    const torch::Tensor output = model->forward(x);
    recorder.stop();
    torch::nn::functional::cross_entropy(output, y).backward();
    return recorder.finish(1, 1, 0);
}

} // namespace

class BlockHistogramTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(1); }

    void histogramsEqualADirectCount()
    {
        const CompiledNetwork network = CompiledNetwork::compile(smallClassifier(16));
        GraphModel model = buildModel(network, 3);
        const PreparedData data = blobs(64);
        const torch::Tensor x = data.train.inputs.slice(0, 0, 32);
        const torch::Tensor y = data.train.targets.slice(0, 0, 32);
        const StatisticsRecord record = recordOneBatch(model, network, x, y);
        QCOMPARE(record.blocks.size(), size_t(3)); // fc1, relu1, fc2

        // The network by hand on copies of the weights, its gradients through autograd.
        const auto fc1 = linearOf(model, "fc1");
        const auto fc2 = linearOf(model, "fc2");
        const torch::Tensor w1 = fc1->weight.detach().clone().requires_grad_(true);
        const torch::Tensor b1 = fc1->bias.detach().clone().requires_grad_(true);
        const torch::Tensor w2 = fc2->weight.detach().clone().requires_grad_(true);
        const torch::Tensor b2 = fc2->bias.detach().clone().requires_grad_(true);
        const torch::Tensor h1 = x.matmul(w1.t()) + b1;
        const torch::Tensor r1 = h1.clamp_min(0);
        const torch::Tensor h2 = r1.matmul(w2.t()) + b2;
        const torch::Tensor loss = torch::nn::functional::cross_entropy(h2, y);
        const auto gradients = torch::autograd::grad({ loss }, { w1, b1, w2, b2 });

        compareHistogram(record.blocks[0].activationHistogram, h1, "fc1 output");
        compareHistogram(record.blocks[1].activationHistogram, r1, "relu1 output");
        compareHistogram(record.blocks[2].activationHistogram, h2, "fc2 output");
        compareHistogram(
            record.blocks[0].gradientHistogram, torch::cat({ gradients[0].flatten(), gradients[1] }), "fc1 gradient");
        compareHistogram(
            record.blocks[2].gradientHistogram, torch::cat({ gradients[2].flatten(), gradients[3] }), "fc2 gradient");
        QVERIFY(!record.blocks[1].gradientHistogram); // the ReLU has no parameters
        // The ReLU's zeros all lie in its first bin, which starts at 0.
        const ValueHistogram& relu = *record.blocks[1].activationHistogram;
        QCOMPARE(relu.low, 0.0);
        QVERIFY(relu.counts[0] >= (r1 == 0).sum().item<double>());
        QCOMPARE(relu.binOf(0.0), 0);
        QCOMPARE(relu.binOf(relu.high), 29);
        QCOMPARE(relu.binOf(relu.high + 1), -1);
    }

    void equalValuesSpanOneAroundThem()
    {
        // fc1's weights 0 and bias 0.5: every output is 0.5, which histc counts over [-0.5, 1.5].
        const CompiledNetwork network = CompiledNetwork::compile(smallClassifier(4));
        GraphModel model = buildModel(network, 3);
        {
            torch::NoGradGuard noGrad;
            linearOf(model, "fc1")->weight.zero_();
            linearOf(model, "fc1")->bias.fill_(0.5);
        }
        const PreparedData data = blobs(16);
        const StatisticsRecord record = recordOneBatch(model, network, data.train.inputs, data.train.targets, 4);
        const ValueHistogram& fc1 = *record.blocks[0].activationHistogram;
        QCOMPARE(fc1.low, -0.5);
        QCOMPARE(fc1.high, 1.5);
        QCOMPARE(fc1.counts, (std::vector<double> { 0, 0, double(data.train.size() * 4), 0 }));
    }

    void noBinsRecordsNoHistograms()
    {
        const CompiledNetwork network = CompiledNetwork::compile(smallClassifier(4));
        GraphModel model = buildModel(network, 3);
        const PreparedData data = blobs(16);
        const StatisticsRecord record = recordOneBatch(model, network, data.train.inputs, data.train.targets, 0);
        QVERIFY(!record.blocks[0].activationHistogram);
        QVERIFY(!record.blocks[0].gradientHistogram);
        QVERIFY(record.blocks[0].gradient); // the figures are still there
    }

    void linesReadBackWithTheirHistograms()
    {
        const CompiledNetwork network = CompiledNetwork::compile(smallClassifier(8));
        GraphModel model = buildModel(network, 3);
        const PreparedData data = blobs(32);
        StatisticsRecord record = recordOneBatch(model, network, data.train.inputs, data.train.targets);
        record.epoch = 3;
        record.batch = 11;
        record.step = 70;
        const StatisticsRecord read = parseStatisticsJsonLine(statisticsJsonLine(record));
        QCOMPARE(read.epoch, int64_t(3));
        QCOMPARE(read.batch, int64_t(11));
        QCOMPARE(read.step, int64_t(70));
        QCOMPARE(read.blocks.size(), record.blocks.size());
        for (size_t i = 0; i < read.blocks.size(); ++i) {
            const BlockStatistics& a = read.blocks[i];
            const BlockStatistics& b = record.blocks[i];
            QCOMPARE(a.blockId, b.blockId);
            QCOMPARE(a.label, b.label);
            QCOMPARE(a.type, b.type);
            QCOMPARE(a.activation.mean, b.activation.mean);
            QCOMPARE(a.activation.maxAbs, b.activation.maxAbs);
            QCOMPARE(a.activationHistogram->low, b.activationHistogram->low);
            QCOMPARE(a.activationHistogram->high, b.activationHistogram->high);
            QCOMPARE(a.activationHistogram->counts, b.activationHistogram->counts);
            QCOMPARE(bool(a.gradient), bool(b.gradient));
            QCOMPARE(bool(a.gradientHistogram), bool(b.gradientHistogram));
            if (b.gradient) {
                QCOMPARE(a.gradientNorm, b.gradientNorm);
                QCOMPARE(a.gradientHistogram->counts, b.gradientHistogram->counts);
            }
        }
    }

    void olderLinesWithoutHistogramsStillRead()
    {
        // A line as statistics.jsonl was written before histograms (39f2d53), with a null figure.
        const std::string line = R"({"epoch":1,"batch":1,"step":0,"blocks":[)"
                                 R"({"id":"fc1","name":"fc1","type":"Linear","activation":{"mean":0.1,"std":1.5,)"
                                 R"("zeros":0.0,"max_abs":4.25},"gradient":{"mean":0.0,"std":0.01,"zeros":0.0,)"
                                 R"x("max_abs":0.05,"norm":0.5}},{"id":"relu1","name":"Gate (relu1)","type":"ReLU",)x"
                                 R"("activation":{"mean":null,"std":0.7,"zeros":0.5,"max_abs":4.25}}]})";
        const StatisticsRecord record = parseStatisticsJsonLine(line);
        QCOMPARE(record.blocks.size(), size_t(2));
        QCOMPARE(record.blocks[0].activation.maxAbs, 4.25);
        QCOMPARE(record.blocks[0].gradientNorm, 0.5);
        QVERIFY(!record.blocks[0].activationHistogram);
        QVERIFY(!record.blocks[0].gradientHistogram);
        QCOMPARE(record.blocks[1].label, std::string("Gate (relu1)"));
        QVERIFY(std::isnan(record.blocks[1].activation.mean));
        QVERIFY(!record.blocks[1].gradient);
    }

    void badLinesAreRefusedByMessage_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("message");
        QTest::newRow("not JSON") << "{\"epoch\":1,"
                                  << "a statistics line must be a JSON object";
        QTest::newRow("no blocks") << R"({"epoch":1,"batch":1,"step":0})"
                                   << R"(the line: "blocks" must be a list)";
        QTest::newRow("text epoch") << R"({"epoch":"one","batch":1,"step":0,"blocks":[]})"
                                    << R"(the line: "epoch" must be a number, got "one")";
        QTest::newRow("no activation") << R"({"epoch":1,"batch":1,"step":0,"blocks":[{"id":"fc1","name":"fc1"}]})"
                                       << R"(block fc1: "activation" is missing)";
        QTest::newRow("negative count")
            << R"({"epoch":1,"batch":1,"step":0,"blocks":[{"id":"fc1","name":"fc1","activation":{"mean":0,"std":0,)"
               R"("zeros":0,"max_abs":0,"histogram":{"low":0,"high":1,"counts":[3,-1]}}}]})"
            << R"(block fc1 activation.histogram: "counts" must hold counts >= 0, got -1)";
        QTest::newRow("empty range")
            << R"({"epoch":1,"batch":1,"step":0,"blocks":[{"id":"fc1","name":"fc1","activation":{"mean":0,"std":0,)"
               R"("zeros":0,"max_abs":0,"histogram":{"low":1,"high":1,"counts":[3]}}}]})"
            << "block fc1 activation.histogram: low (1) must be below high (1)";
    }

    void badLinesAreRefusedByMessage()
    {
        QFETCH(QString, line);
        QFETCH(QString, message);
        try {
            parseStatisticsJsonLine(line.toStdString());
            QFAIL("the line was read");
        } catch (const Error& error) {
            QCOMPARE(QString::fromStdString(error.what()), message);
        }
    }

    void aFileNamesTheLineThatDoesNotRead()
    {
        const std::string path = netdraft::tests::freshFolder("block-histograms") + "/statistics.jsonl";
        {
            std::ofstream file(path);
            file << R"({"epoch":1,"batch":1,"step":0,"blocks":[]})"
                 << "\n\n"
                 << R"({"epoch":1,"batch":2,"step":1,"blocks":[]})"
                 << "\n"
                 << R"({"epoch":1,"batch":3})"
                 << "\n";
        }
        try {
            readStatisticsFile(path);
            QFAIL("the file was read");
        } catch (const Error& error) {
            QCOMPARE(QString::fromStdString(error.what()),
                QString::fromStdString(path + ", line 4: the line: \"step\" is missing"));
        }
        try {
            readStatisticsFile(path + ".missing");
            QFAIL("a missing file was read");
        } catch (const Error& error) {
            QCOMPARE(QString::fromStdString(error.what()), QString::fromStdString("cannot open " + path + ".missing"));
        }
    }
};

NETDRAFT_TEST(BlockHistogramTest);
#include "BlockHistogramTest.moc"
