// The example projects in projects/: written exactly as the engine writes them, open in the window
// without problems, and LeNet-5 trains from MNIST-format IDX files (small ones written here).

#include "app/gui/MainWindow.h"
#include "app/gui/ProjectSession.h"
#include "engine/inference/ShapeInference.h"
#include "engine/io/ProjectFormat.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/RunRecord.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

using namespace netdraft;

namespace {

QString examplesFolder()
{
    return QStringLiteral(NETDRAFT_SOURCE_DIR "/projects");
}

QByteArray bigEndian32(quint32 value)
{
    QByteArray bytes(4, '\0');
    for (int index = 0; index < 4; ++index)
        bytes[index] = char(value >> (24 - 8 * index));
    return bytes;
}

/// An IDX pair in MNIST's layout: `count` 28×28 images whose label is a vertical bar's column band,
/// so that a few samples are learnable.
void writeIdxPair(const QString& folder, const QString& prefix, int count)
{
    QByteArray images = bigEndian32(0x803) + bigEndian32(count) + bigEndian32(28) + bigEndian32(28);
    QByteArray labels = bigEndian32(0x801) + bigEndian32(count);
    for (int index = 0; index < count; ++index) {
        const int label = index % 10;
        QByteArray pixels(28 * 28, '\0');
        for (int row = 4; row < 24; ++row)
            for (int column = 2 + 2 * label; column < 4 + 2 * label; ++column)
                pixels[row * 28 + column] = char(255);
        images += pixels;
        labels += char(label);
    }
    for (const auto& [name, bytes] :
        { std::pair { prefix + "-images-idx3-ubyte", images }, std::pair { prefix + "-labels-idx1-ubyte", labels } }) {
        QFile file(folder + "/" + name);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(bytes), qint64(bytes.size()));
    }
}

} // namespace

class ExampleProjectsTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;

private Q_SLOTS:
    void initTestCase() { tests::isolateUserFolders(folder_); }

    void examples_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("expectedErrors");
        const QDir dir(examplesFolder());
        const QStringList names = dir.entryList({ QStringLiteral("*.netdraft") }, QDir::Files, QDir::Name);
        QVERIFY2(names.size() >= 7, qPrintable(names.join(' ')));
        for (const QString& name : names)
            QTest::newRow(qPrintable(name)) << dir.filePath(name) << (name == "classic_cnn_naive.netdraft" ? 1 : 0);
    }

    /// The files are what the engine itself writes: loading and writing gives the same bytes.
    void examplesAreInTheEngineFormat_data() { examples_data(); }
    void examplesAreInTheEngineFormat()
    {
        QFETCH(QString, path);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const std::string text = file.readAll().toStdString();
        const engine::Project project = engine::parseProject(text, path.toStdString());
        const QStringList written = QString::fromStdString(engine::serializeProject(project)).split('\n');
        const QStringList read = QString::fromStdString(text).split('\n');
        for (int line = 0; line < std::max(written.size(), read.size()); ++line)
            if (written.value(line) != read.value(line))
                QFAIL(qPrintable(QStringLiteral("line %1 is '%2' but the engine writes '%3': save the example again "
                                                "with this Netdraft (the format changed)")
                                     .arg(line + 1)
                                     .arg(read.value(line).trimmed(), written.value(line).trimmed())));
    }

    void examplesOpenInTheWindow_data() { examples_data(); }
    void examplesOpenInTheWindow()
    {
        QFETCH(QString, path);
        QFETCH(int, expectedErrors);
        auto scripted = std::make_unique<tests::ScriptedPrompts>();
        tests::ScriptedPrompts* prompts = scripted.get();
        app::MainWindow window(std::move(scripted));
        QVERIFY(window.openProject(path));
        QVERIFY2(prompts->loadErrors.isEmpty(), qPrintable(prompts->loadErrors.join('\n')));
        const engine::Project project = window.session().project();
        QVERIFY(!project.description.empty());
        int errors = 0;
        for (const engine::Problem& problem : engine::inferShapes(project.graph).problems())
            errors += problem.isError();
        QCOMPARE(errors, expectedErrors);
    }

    /// LeNet-5 reads MNIST's four IDX files from data/mnist beside the project.
    void lenetTrainsOnIdxFiles()
    {
        QTemporaryDir projectFolder;
        QVERIFY(QDir(projectFolder.path()).mkpath(QStringLiteral("data/mnist")));
        writeIdxPair(projectFolder.filePath(QStringLiteral("data/mnist")), QStringLiteral("train"), 200);
        writeIdxPair(projectFolder.filePath(QStringLiteral("data/mnist")), QStringLiteral("t10k"), 50);
        engine::Project project = engine::loadProjectFile(examplesFolder().toStdString() + "/lenet5_mnist.netdraft");
        project.training.epochs = 1;
        project.training.batchSize = 20;
        project.training.threads = 2;
        const QString path = tests::saveProject(project, projectFolder, QStringLiteral("lenet5_mnist.netdraft"));

        auto scripted = std::make_unique<tests::ScriptedPrompts>();
        tests::ScriptedPrompts* prompts = scripted.get();
        app::MainWindow window(std::move(scripted));
        window.show();
        QVERIFY(window.openProject(path));
        QSignalSpy finished(&window, &app::MainWindow::trainingFinished);
        QVERIFY(window.startTraining());
        QVERIFY(finished.wait(120000));
        QVERIFY2(prompts->errors.isEmpty(), qPrintable(prompts->errors.join('\n')));
        const auto record = finished.first().first().value<widgets::RunRecord>();
        QCOMPARE(record.stopReason, QStringLiteral("completed"));
        QCOMPARE(record.epochsCompleted, 1);
        // The t10k files are the test part: 50 samples over the ten digits.
        QVERIFY(record.testAccuracy.has_value());
        QCOMPARE(record.classNames.size(), 10);
        QVERIFY(QFile::exists(window.runWeightsPath(record.number)));
    }
};

NETDRAFT_TEST(ExampleProjectsTest);
#include "ExampleProjectsTest.moc"
