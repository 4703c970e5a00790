// The CSV reader: features and targets for classification (text or integer labels) and
// regression, and malformed tables refused with the file, line and column.

#include <torch/torch.h>

#include "tests/engine/DatasetTestFiles.h"
#include "tests/engine/DatasetTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QTemporaryDir>
#include <QTest>

using namespace netdraft::engine;
using namespace netdraft::tests;

class CsvReaderTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    PreparedData load(const std::string& text, bool classification, const std::string& target = "target")
    {
        const std::string file = dir_.filePath("table.csv").toStdString();
        writeText(file, text);
        return loadUnsplit("csv", file, { {}, 0, classification }, target);
    }

private Q_SLOTS:
    void textLabels()
    {
        PreparedData data = load("x, y ,label\n1,2,cat\n3,4.5,dog\n\n-5,6e1,cat\n", true, "label");
        QVERIFY(
            torch::allclose(data.train.inputs, torch::tensor({ 1.0f, 2.0f, 3.0f, 4.5f, -5.0f, 60.0f }).view({ 3, 2 })));
        QCOMPARE(data.train.classNames, (std::vector<std::string> { "cat", "dog" }));
        QVERIFY(torch::equal(data.train.targets, torch::tensor({ 0, 1, 0 }, torch::kInt64)));
        QCOMPARE(data.train.inputScale, 1.0);
    }

    void integerLabelsKeepTheirOrder()
    {
        // Target in the middle, quoted cells, CRLF line ends; labels 1..3 become classes 0..2.
        PreparedData data = load("a,target,\"b\"\r\n0.5,3,\"1e3\"\r\n1,1,2\r\n2,2,3\r\n3,1,4\r\n", true);
        QCOMPARE(data.train.classNames, (std::vector<std::string> { "1", "2", "3" }));
        QVERIFY(torch::equal(data.train.targets, torch::tensor({ 2, 0, 1, 0 }, torch::kInt64)));
        QVERIFY(torch::allclose(data.train.inputs.select(1, 1), torch::tensor({ 1000.0f, 2.0f, 3.0f, 4.0f })));
    }

    void regression()
    {
        PreparedData data = load("a,b,target\n1,2,0.25\n3,4,-7\n", false);
        QVERIFY(!data.train.isClassification());
        QCOMPARE(data.train.targets.sizes().vec(), (std::vector<int64_t> { 2, 1 }));
        QVERIFY(torch::allclose(data.train.targets, torch::tensor({ 0.25f, -7.0f }).view({ 2, 1 })));
    }

    void splitsByTestFraction()
    {
        std::string text = "a,target\n";
        for (int i = 0; i < 40; ++i)
            text += std::to_string(i) + "," + std::to_string(i % 2) + "\n";
        const std::string file = dir_.filePath("split.csv").toStdString();
        writeText(file, text);
        DatasetSpec spec;
        spec.kind = "csv";
        spec.path = "split.csv"; // relative to the project folder
        spec.testFraction = 0.25;
        spec.validationFraction = 0.1;
        PreparedData data = prepareData(spec, dir_.path().toStdString(), { { 1 }, 2, true });
        QCOMPARE(data.test.size(), int64_t(10));
        QCOMPARE(data.validation.size(), int64_t(3));
        QCOMPARE(data.train.size(), int64_t(27));
        torch::Tensor all = torch::cat({ data.train.inputs, data.validation.inputs, data.test.inputs }).flatten();
        QVERIFY(torch::equal(std::get<0>(all.sort()), torch::arange(40, torch::kFloat32)));
    }

    void refusesMalformedTables_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("classification");
        QTest::addColumn<QString>("message");
        QTest::newRow("ragged row") << "a,b,target\n1,2,0\n1,2\n"
                                    << true << "line 3: 2 cells but the header has 3 columns";
        QTest::newRow("long row") << "a,target\n1,2,0\n" << true << "line 2: 3 cells but the header has 2 columns";
        QTest::newRow("text feature") << "a,b,target\n1,x,0\n"
                                      << true << "line 2, column 'b': expected a number, got 'x'";
        QTest::newRow("nan feature") << "a,target\n1,0\nnan,1\n"
                                     << true << "line 3, column 'a': expected a number, got 'nan'";
        QTest::newRow("empty feature") << "a,b,target\n1,,0\n"
                                       << true << "line 2, column 'b': expected a number, got ''";
        QTest::newRow("no target column") << "a,b,c\n1,2,3\n"
                                          << true << "no target column 'target'; the header has: a, b, c";
        QTest::newRow("empty file") << "" << true << "file is empty, expected a header row";
        QTest::newRow("header only") << "a,target\n" << true << "holds a header but no data rows";
        QTest::newRow("fractional class")
            << "a,target\n1,0\n2,0.5\n"
            << true << "line 3, column 'target': class labels must be integers or text, got 0.5";
        QTest::newRow("text regression") << "a,target\n1,cat\n"
                                         << false << "line 2, column 'target': regression needs a number, got 'cat'";
        QTest::newRow("open quote") << "a,target\n\"1,0\n" << true << "line 2: a quoted cell is not closed";
        QTest::newRow("empty target") << "a,target\n1,\n" << true << "line 2: the target 'target' is empty";
        QTest::newRow("target only") << "target\n1\n" << true << "needs at least one feature column";
    }

    void refusesMalformedTables()
    {
        QFETCH(QString, text);
        QFETCH(bool, classification);
        QFETCH(QString, message);
        QString error = errorMessage([&] { load(text.toStdString(), classification); });
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY2(error.contains("table.csv"), qPrintable(error));
    }
};

NETDRAFT_TEST(CsvReaderTest);
#include "CsvReaderTest.moc"
