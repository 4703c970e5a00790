// The dataset panel previews the data a project trains on and says whether it fits the graph.

#include "widgets/DatasetWidget.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QListWidget>
#include <QSignalSpy>
#include <QTableWidget>
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
