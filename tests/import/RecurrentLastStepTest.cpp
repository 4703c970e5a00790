// The last time step of a recurrent op as its block's output 'last' (foldLastTimeSteps, shared by the
// TorchScript and ONNX importers): which Selects fold, how the ops after them are renumbered, and the
// error for a time-first step that has no block. PyTorch's own modules through both importers:
// python.test_torchscript_ops_import and python.test_onnx_import.

#include "engine/import/RecurrentLastStep.h"
#include "engine/import/ImportedGraph.h"
#include "tests/support/ErrorOf.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

using namespace netdraft::engine;

namespace {

ImportedOp lastStepRecurrent(bool batchFirst)
{
    return ImportedOp { "LSTM", { { "hidden_size", int64_t(4) }, { "batch_first", batchFirst } }, "lstm", { -1 }, {} };
}

ImportedOp stepSelect(int input, int64_t dim, int64_t index)
{
    return ImportedOp { "Select", { { "dim", dim }, { "index", index } }, "", { input }, {} };
}

ImportedOp stepLinear(int input)
{
    return ImportedOp { "Linear", { { "out_features", int64_t(2) } }, "fc", { input }, {} };
}

/// lstm → Select(dim, index) → fc → ReLU, the ReLU the network's output.
ImportedNetwork stepClassifier(bool batchFirst, int64_t dim, int64_t index)
{
    ImportedNetwork network;
    network.inputShape = { 5, 3 };
    network.ops = { lastStepRecurrent(batchFirst), stepSelect(0, dim, index), stepLinear(1),
        ImportedOp { "ReLU", {}, "act", { 2 }, {} } };
    network.outputOp = 3;
    return network;
}

std::string recurrentOutput(const ImportedOp& op)
{
    auto found = op.params.find("output");
    return found == op.params.end() ? "sequence" : std::get<std::string>(found->second);
}

} // namespace

class RecurrentLastStepTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theLastStepReadByNothingElseFolds_data()
    {
        QTest::addColumn<bool>("batchFirst");
        QTest::addColumn<int64_t>("dim");
        QTest::newRow("batch first, out[:, -1]") << true << int64_t(1);
        QTest::newRow("time first, out[-1]") << false << int64_t(0);
    }

    void theLastStepReadByNothingElseFolds()
    {
        QFETCH(bool, batchFirst);
        QFETCH(int64_t, dim);
        ImportedNetwork network = stepClassifier(batchFirst, dim, -1);
        foldLastTimeSteps(network, "m.pt");
        QCOMPARE(network.ops.size(), size_t(3));
        QCOMPARE(network.ops[0].layerType, std::string("LSTM"));
        QCOMPARE(recurrentOutput(network.ops[0]), std::string("last"));
        QCOMPARE(network.ops[1].layerType, std::string("Linear"));
        QCOMPARE(network.ops[1].inputs, std::vector<int> { 0 });
        QCOMPARE(network.ops[2].inputs, std::vector<int> { 1 });
        QCOMPARE(network.outputOp, 2);
    }

    void otherStepsAndReadersKeepTheSelect_data()
    {
        QTest::addColumn<int64_t>("dim");
        QTest::addColumn<int64_t>("index");
        QTest::addColumn<bool>("secondReader");
        QTest::newRow("the first step") << int64_t(1) << int64_t(0) << false;
        QTest::newRow("a feature, not a step") << int64_t(2) << int64_t(-1) << false;
        QTest::newRow("the sequence read again") << int64_t(1) << int64_t(-1) << true;
    }

    void otherStepsAndReadersKeepTheSelect()
    {
        QFETCH(int64_t, dim);
        QFETCH(int64_t, index);
        QFETCH(bool, secondReader);
        ImportedNetwork network = stepClassifier(true, dim, index);
        if (secondReader) { // the ReLU of the whole sequence is the output; the classifier's ReLU reads nothing
            network.ops.push_back(ImportedOp { "ReLU", {}, "seq_act", { 0 }, {} });
            network.outputOp = 4;
        }
        const size_t before = network.ops.size();
        foldLastTimeSteps(network, "m.pt");
        QCOMPARE(network.ops.size(), before);
        QCOMPARE(recurrentOutput(network.ops[0]), std::string("sequence"));
        QCOMPARE(network.ops[1].layerType, std::string("Select"));
        QCOMPARE(network.ops[2].inputs, std::vector<int> { 1 });
    }

    void theSequenceAsTheNetworksOutputIsAReader()
    {
        ImportedNetwork network = stepClassifier(true, 1, -1);
        network.outputOp = 0; // the Select's branch ends nowhere: only the output reads the sequence too
        foldLastTimeSteps(network, "m.pt");
        QCOMPARE(network.ops.size(), size_t(4));
        QCOMPARE(recurrentOutput(network.ops[0]), std::string("sequence"));
    }

    void aTimeFirstStepThatCannotFoldIsAnError()
    {
        ImportedNetwork network = stepClassifier(false, 0, -1);
        network.ops.push_back(stepSelect(0, 0, -1));
        network.ops.push_back(ImportedOp { "Add", { { "num_inputs", int64_t(2) } }, "", { 1, 4 }, {} });
        network.outputOp = 5;
        QCOMPARE(netdraft::tests::errorOf([&] { foldLastTimeSteps(network, "m.pt"); }),
            std::string("m.pt: a time step of the time-first LSTM lstm has a block only as the last step read by "
                        "nothing else (its output 'last'); its sequence is read 2 times"));
    }

    void theLastStepIsMinusOneOrTheLengthLessOne()
    {
        QVERIFY(isLastTimeStep(-1, 0));
        QVERIFY(isLastTimeStep(-1, 7));
        QVERIFY(isLastTimeStep(6, 7));
        QVERIFY(!isLastTimeStep(5, 7));
        QVERIFY(!isLastTimeStep(6, 0)); // the length unknown: only -1 is the last step
        QVERIFY(!isLastTimeStep(-2, 7));
    }
};

NETDRAFT_TEST(RecurrentLastStepTest);
#include "RecurrentLastStepTest.moc"
