// The viewer on a block (issue 20), in its window: the block's output for the chosen test sample, as
// the engine gives it for that sample, drawn as a grid of maps (a vector as bars), with the block's
// name and shape; previous / next and the block chooser change what is shown; an unknown block says so.
// Each output is worked out off the GUI thread with a busy bar meanwhile, the last request wins, and
// closing the window while it works (or loads) is safe.

#include "widgets/BlockViewerWindow.h"
#include "engine/insight/BlockViewer.h"
#include "tests/engine/TinyCnnProject.h"
#include "tests/support/TestRegistry.h"

#include <QComboBox>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace netdraft;
using widgets::BlockViewerWindow;

namespace {

/// Waits until the window has shown what was asked for last.
bool settled(const BlockViewerWindow& window)
{
    return QTest::qWaitFor([&] { return !window.busy(); }, 60000);
}

} // namespace

class BlockViewerWindowTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsABlocksFeatureMapsForASample()
    {
        const engine::Project project = tests::tinyCnnProject();
        BlockViewerWindow window;
        QSignalSpy loaded(&window, &BlockViewerWindow::loaded);
        window.open(project, QString(), QString(), QStringLiteral("the starting weights"), QStringLiteral("features"));
        QVERIFY(loaded.wait(60000));
        window.show();
        QCOMPARE(window.blockId(), QStringLiteral("conv2"));
        QCOMPARE(window.headline(),
            QStringLiteral("features (conv2) (Conv2d) · output 6×8×8: 6 feature maps of 8×8, each from its lowest "
                           "value (black) to its highest (white)"));
        QVERIFY(window.sampleText().startsWith(QStringLiteral("Test sample 0 of 20\ntrue: ")));
        QVERIFY(window.sampleText().contains(QStringLiteral("predicted: ")));

        // The values are the engine's for this sample, worked out apart from the window.
        const engine::BlockViewer reference(project, "", "");
        QCOMPARE(window.output().values, reference.blockOutput("conv2", 0).values);
        // Six 8×8 maps enlarged 6 times (48 px tiles), three to a row with 2 px gaps.
        QCOMPARE(window.outputImage().size(), QSize(2 + 3 * 50, 2 + 2 * 50));
        QCOMPARE(window.sampleImage().size(), QSize(160, 160));
        // Each tile spans black to white.
        int black = 0, white = 0;
        for (int y = 2; y < 50; ++y)
            for (int x = 2; x < 50; ++x) {
                black += qGray(window.outputImage().pixel(x, y)) == 0;
                white += qGray(window.outputImage().pixel(x, y)) == 255;
            }
        QVERIFY(black > 0 && white > 0);

        auto* next = window.findChild<QPushButton*>(QStringLiteral("viewerNext"));
        auto* previous = window.findChild<QPushButton*>(QStringLiteral("viewerPrevious"));
        QVERIFY(!previous->isEnabled());
        auto* busyBar = window.findChild<QProgressBar*>(QStringLiteral("viewerBusy"));
        QVERIFY(busyBar);
        QVERIFY(!busyBar->isVisible());
        QTest::mouseClick(next, Qt::LeftButton);
        // The output is worked out on the worker: the click returns at once, the bar shows meanwhile
        // and the old output stays until the new one arrives.
        QVERIFY(window.busy());
        QVERIFY(busyBar->isVisible());
        QCOMPARE(window.output().values, reference.blockOutput("conv2", 0).values);
        QTest::mouseClick(next, Qt::LeftButton); // asked while busy: shown after it
        QCOMPARE(window.sampleIndex(), 2);
        QVERIFY(settled(window));
        QVERIFY(!busyBar->isVisible());
        QCOMPARE(window.output().values, reference.blockOutput("conv2", 2).values);
        QVERIFY(window.output().values != reference.blockOutput("conv2", 0).values);
        QVERIFY(window.sampleText().startsWith(QStringLiteral("Test sample 2 of 20\ntrue: ")));
        QTest::mouseClick(previous, Qt::LeftButton);
        QCOMPARE(window.sampleIndex(), 1);
        QVERIFY(settled(window));
        window.findChild<QSpinBox*>(QStringLiteral("viewerSample"))->setValue(19);
        QVERIFY(!next->isEnabled());
        QVERIFY(settled(window));
        QCOMPARE(window.output().values, reference.blockOutput("conv2", 19).values);

        // A vector: the classifier's ten scores as bars.
        QComboBox* blocks = window.blockChooser();
        blocks->setCurrentIndex(blocks->findData(QStringLiteral("fc")));
        QCOMPARE(window.blockId(), QStringLiteral("fc"));
        QVERIFY(settled(window));
        QCOMPARE(window.headline(),
            QStringLiteral("fc (Linear) · output 10: 10 values as bars (blue above zero, red below)"));
        QCOMPARE(window.output().values, reference.blockOutput("fc", 19).values);
        QCOMPARE(window.outputImage().size(), QSize(640, 240));
    }

    void manyRequestsWhileBusyShowTheLast()
    {
        const engine::Project project = tests::tinyCnnProject();
        BlockViewerWindow window;
        QSignalSpy loaded(&window, &BlockViewerWindow::loaded);
        window.open(project, QString(), QString(), QString(), QStringLiteral("conv1"));
        QVERIFY(loaded.wait(60000));
        QSignalSpy shown(&window, &BlockViewerWindow::outputShown);
        for (int index = 1; index <= 9; ++index)
            window.showSample(index);
        window.showBlock(QStringLiteral("fc"));
        QVERIFY(settled(window));
        // One output for the first request, which was running, and one for the last; none in between.
        QVERIFY2(shown.count() <= 2, qPrintable(QString::number(shown.count())));
        QCOMPARE(window.blockId(), QStringLiteral("fc"));
        QCOMPARE(window.output().values, engine::BlockViewer(project, "", "").blockOutput("fc", 9).values);
        QVERIFY(window.sampleText().startsWith(QStringLiteral("Test sample 9 of 20")));
    }

    void closingWhileItWorksIsSafe()
    {
        // Closed while loading, and closed while an output is being worked out: the window goes, the
        // worker's result is dropped with it and nothing touches the deleted window afterwards.
        for (const bool loadFirst : { false, true }) {
            auto* window = new BlockViewerWindow;
            window->setAttribute(Qt::WA_DeleteOnClose);
            QPointer<BlockViewerWindow> guard(window);
            QSignalSpy loaded(window, &BlockViewerWindow::loaded);
            window->open(tests::tinyCnnProject(), QString(), QString(), QString(), QStringLiteral("conv2"));
            window->show();
            if (loadFirst) {
                QVERIFY(loaded.wait(60000));
                window->showSample(7);
            }
            QVERIFY(window->busy());
            window->close();
            QTRY_VERIFY(guard.isNull());
            QTest::qWait(50); // anything queued to the window would arrive now
        }
    }

    void anUnknownBlockIsNamedInTheWindow()
    {
        BlockViewerWindow window;
        QSignalSpy loaded(&window, &BlockViewerWindow::loaded);
        window.open(tests::tinyCnnProject(), QString(), QString(), QString(), QStringLiteral("gone"));
        QVERIFY(loaded.wait(60000));
        QVERIFY2(window.headline().startsWith(QStringLiteral("no block named 'gone' in the network; its blocks are ")),
            qPrintable(window.headline()));
        QVERIFY(window.outputImage().isNull());
    }

    void aDesignThatDoesNotLoadSaysWhy()
    {
        engine::Project project = tests::tinyCnnProject();
        project.dataset.kind = "spirals"; // 2 features, not 3×32×32 images
        BlockViewerWindow window;
        QSignalSpy loaded(&window, &BlockViewerWindow::loaded);
        window.open(project, QString(), QString(), QString(), QStringLiteral("conv1"));
        QVERIFY(loaded.wait(60000));
        QVERIFY2(window.headline().startsWith(QStringLiteral("Cannot show the block's output: ")),
            qPrintable(window.headline()));
    }
};

NETDRAFT_TEST(BlockViewerWindowTest);
#include "BlockViewerWindowTest.moc"
