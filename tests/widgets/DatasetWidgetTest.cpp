// The dataset panel previews the data a project trains on and says whether it fits the graph.

#include "widgets/DatasetWidget.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QDir>
#include <QFile>
#include <QListWidget>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace netdraft;

class DatasetWidgetTest : public QObject {
    Q_OBJECT

    /// Previews `project` and waits for the panel to show the result.
    static void preview(widgets::DatasetWidget& panel, const engine::Project& project)
    {
        QSignalSpy updated(&panel, &widgets::DatasetWidget::previewUpdated);
        panel.previewProject(project, QString());
        QVERIFY(updated.wait(30000));
    }

    /// Empty files named `names` under `folder`: detection goes by names only.
    static void touch(const QString& folder, const QStringList& names)
    {
        for (const QString& name : names) {
            QVERIFY(QDir().mkpath(QFileInfo(folder + "/" + name).absolutePath()));
            QFile file(folder + "/" + name);
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
    }

private Q_SLOTS:
    void showsShapesSamplesThatFit()
    {
        engine::Project project = tests::classicCnnProject(true);
        project.dataset.kind = "shapes";
        project.dataset.samples = 200;
        widgets::DatasetWidget panel;
        preview(panel, project);
        QVERIFY2(panel.previewStatus().startsWith(QStringLiteral("✔ Fits the graph: 3×32×32 samples")),
            qPrintable(panel.previewStatus()));
        QCOMPARE(panel.previewSampleCount(), 24);
        auto* samples = panel.findChild<QListWidget*>(QStringLiteral("datasetSamples"));
        QVERIFY(samples);
        QVERIFY(!samples->item(0)->text().isEmpty()); // the class name under the image
        QVERIFY(!samples->item(0)->icon().isNull());
        // NETDRAFT_SCREENSHOTS=folder keeps a picture of the panel for the docs.
        if (const QString folder = qEnvironmentVariable("NETDRAFT_SCREENSHOTS"); !folder.isEmpty()) {
            panel.resize(420, 760);
            panel.show();
            QTest::qWait(50);
            QVERIFY(panel.grab().save(folder + QStringLiteral("/dataset-panel.png")));
        }
    }

    void saysWhyTheDataDoesNotFit()
    {
        engine::Project project = tests::classicCnnProject(true);
        project.dataset.kind = "spirals"; // 2 features per sample into a 3×32×32 Input
        project.dataset.samples = 100;
        widgets::DatasetWidget panel;
        preview(panel, project);
        QVERIFY2(panel.previewStatus().contains(QStringLiteral("Does not fit the graph: dataset gives 2 features per sample but the Input block expects 3×32×32")),
            qPrintable(panel.previewStatus()));
        auto* rows = panel.findChild<QTableWidget*>(QStringLiteral("datasetRows"));
        QVERIFY(rows && !rows->isHidden());
        QCOMPARE(rows->columnCount(), 3); // label, x0, x1
        QCOMPARE(panel.previewSampleCount(), 24);
    }

    /// What Choose File/Folder emits for a chosen path, given the kind shown: a switch of kind and
    /// path together when another kind reads it, else the path alone.
    void choosingAPathSwitchesToTheKindThatReadsIt_data()
    {
        QTest::addColumn<QString>("shownKind");
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QString>("chosen");
        QTest::addColumn<QString>("switchedTo"); // empty: the path alone
        QTest::newRow("CIFAR-10 folder in a Shapes project")
            << "shapes" << QStringList { "cifar/data_batch_1.bin" } << "cifar" << "cifar10";
        QTest::newRow("CSV file in an MNIST project") << "mnist" << QStringList { "table.csv" } << "table.csv"
                                                      << "csv";
        QTest::newRow("class folders in a CIFAR-100 project")
            << "cifar100" << QStringList { "pets/cat/a.png", "pets/dog/b.jpg" } << "pets" << "image_folder";
        QTest::newRow("IDX files in a Fashion-MNIST project: it reads them")
            << "fashion_mnist" << QStringList { "idx/train-images-idx3-ubyte", "idx/train-labels-idx1-ubyte" }
            << "idx" << "";
        QTest::newRow("a folder no kind reads") << "spirals" << QStringList { "notes/readme.txt" } << "notes" << "";
    }

    void choosingAPathSwitchesToTheKindThatReadsIt()
    {
        QFETCH(QString, shownKind);
        QFETCH(QStringList, files);
        QFETCH(QString, chosen);
        QFETCH(QString, switchedTo);
        QTemporaryDir folder;
        touch(folder.path(), files);
        widgets::DatasetWidget panel;
        engine::DatasetSpec spec;
        spec.kind = shownKind.toStdString();
        panel.setDataset(spec);
        QSignalSpy switched(&panel, &widgets::DatasetWidget::datasetChosen);
        QSignalSpy edited(&panel, &widgets::DatasetWidget::fieldEdited);
        const QString path = folder.filePath(chosen);
        panel.useDatasetPath(path); // no project folder yet: stored absolute
        if (switchedTo.isEmpty()) {
            QCOMPARE(switched.count(), 0);
            QCOMPARE(edited.count(), 1);
            QCOMPARE(edited.first().at(0).toString(), QStringLiteral("path"));
            const auto value = edited.first().at(1).value<engine::ParamValue>();
            QVERIFY(std::holds_alternative<std::string>(value));
            QCOMPARE(QString::fromStdString(std::get<std::string>(value)), path);
        } else {
            QCOMPARE(edited.count(), 0);
            QCOMPARE(switched.count(), 1);
            QCOMPARE(switched.first().at(0).toString(), switchedTo);
            QCOMPARE(switched.first().at(1).toString(), path);
        }
    }

    void namesAMissingFile()
    {
        engine::Project project = tests::classicCnnProject(true);
        project.dataset.kind = "cifar10";
        project.dataset.path = "/nonexistent/cifar-10-batches-bin";
        widgets::DatasetWidget panel;
        preview(panel, project);
        QVERIFY2(panel.previewStatus().startsWith(QStringLiteral("✘ Cannot load the dataset:")), qPrintable(panel.previewStatus()));
        QVERIFY2(panel.previewStatus().contains(QStringLiteral("/nonexistent/cifar-10-batches-bin")), qPrintable(panel.previewStatus()));
        QCOMPARE(panel.previewSampleCount(), 0);
    }
};

NETDRAFT_TEST(DatasetWidgetTest);
#include "DatasetWidgetTest.moc"
