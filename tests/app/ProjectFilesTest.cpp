// Projects through the window: save and reopen, title and modified state, undoable settings, files
// that fail to load, and the question before discarding changes.

#include "app/gui/MainWindow.h"
#include "app/gui/ProjectSession.h"
#include "editor/GraphDocument.h"
#include "editor/commands/SetSetting.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/DatasetWidget.h"
#include "widgets/SettingsForm.h"
#include "widgets/TrainingSettingsWidget.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QSpinBox>
#include <QFile>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

using namespace netdraft;
using netdraft::tests::ScriptedPrompts;

class ProjectFilesTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;

private Q_SLOTS:
    void initTestCase() { tests::isolateUserFolders(folder_); }

    void savesAndReopensTheSameProject()
    {
        engine::Project project = tests::tinyProject();
        project.experiment.grid = { "training.learning_rate=0.1,0.01" }; // edited by the CLI, kept by the app
        project.experiment.parallel = 2;
        const QString path = tests::saveProject(project, folder_, QStringLiteral("roundtrip.netdraft"));
        auto* prompts = new ScriptedPrompts;
        app::MainWindow window { std::unique_ptr<app::Prompts>(prompts) };
        QVERIFY(window.openProject(path));
        QCOMPARE(window.windowTitle(), QStringLiteral("roundtrip.netdraft[*] — Netdraft"));
        QVERIFY(!window.isWindowModified());

        // Edit the graph and a setting; the title gets its star.
        window.session().document().addBlock(QStringLiteral("ReLU"), QPointF(400, 300));
        auto* optimizer = qobject_cast<QComboBox*>(window.trainingPanel()->form()->editor("optimizer"));
        QVERIFY(optimizer);
        const int adam = optimizer->findData(QStringLiteral("adam"));
        optimizer->setCurrentIndex(adam);
        Q_EMIT optimizer->activated(adam);
        QCOMPARE(window.session().project().training.optimizer, std::string("adam"));
        QVERIFY(window.isWindowModified());

        const QString copy = folder_.filePath(QStringLiteral("copy.netdraft"));
        QVERIFY(window.saveAs(copy));
        QVERIFY(!window.isWindowModified());
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("copy.netdraft")));
        const engine::Project saved = window.session().project();

        app::MainWindow reopened { std::make_unique<ScriptedPrompts>() };
        QVERIFY(reopened.openProject(copy));
        QVERIFY(reopened.session().project() == saved);
        QCOMPARE(reopened.session().project().training.optimizer, std::string("adam"));
        QVERIFY(reopened.session().project().experiment == project.experiment);
    }

    void settingEditsAreUndoable()
    {
        const QString path = tests::saveProject(tests::tinyProject(), folder_, QStringLiteral("undo.netdraft"));
        app::MainWindow window { std::make_unique<ScriptedPrompts>() };
        QVERIFY(window.openProject(path));
        const int64_t epochs = window.session().project().training.epochs;
        QUndoStack* stack = window.session().document().undoStack();
        editor::GraphDocument& document = window.session().document();
        stack->push(new editor::commands::SetSetting(document, editor::SettingSection::Training, "epochs", int64_t(7)));
        stack->push(new editor::commands::SetSetting(
            document, editor::SettingSection::Training, "epochs", int64_t(9))); // merges with the previous edit
        QCOMPARE(stack->count(), 1);
        QCOMPARE(window.session().project().training.epochs, int64_t(9));
        QVERIFY(window.isWindowModified());
        stack->undo();
        QCOMPARE(window.session().project().training.epochs, epochs);
        QVERIFY(!window.isWindowModified());
    }

    void aSettingEditUpdatesOnlyItsFieldAndTheDatasetPreviewOnlyForDatasetFields()
    {
        const QString path = tests::saveProject(tests::tinyProject(), folder_, QStringLiteral("fields.netdraft"));
        app::MainWindow window { std::make_unique<ScriptedPrompts>() };
        QSignalSpy previewed(window.datasetPanel(), &widgets::DatasetWidget::previewUpdated);
        QVERIFY(window.openProject(path));
        QVERIFY(previewed.wait(30000));
        QTest::qWait(500); // nothing else pending
        previewed.clear();
        editor::GraphDocument& document = window.session().document();
        auto* rate = qobject_cast<QDoubleSpinBox*>(window.trainingPanel()->form()->editor("learning_rate"));
        auto* epochs = window.trainingPanel()->form()->editor("epochs");
        QVERIFY(rate && epochs);
        // A half-typed value in another field survives an edit of this one (the panel is not reset).
        auto* epochsBox = qobject_cast<QSpinBox*>(epochs);
        QVERIFY(epochsBox);
        const QSignalBlocker quiet(epochsBox);
        epochsBox->setValue(epochsBox->value() + 3);
        const int typed = epochsBox->value();
        document.push(new editor::commands::SetSetting(document, editor::SettingSection::Training, "learning_rate", 0.25));
        QCOMPARE(rate->value(), 0.25);
        QCOMPARE(epochsBox->value(), typed);
        document.undoStack()->undo();
        QCOMPARE(rate->value(), window.session().project().training.learningRate);
        QVERIFY(!previewed.wait(1500)); // a training setting does not reload the dataset
        document.push(new editor::commands::SetSetting(document, editor::SettingSection::Dataset, "samples", int64_t(90)));
        QVERIFY(previewed.wait(30000));
        QCOMPARE(epochsBox->value(), typed);
    }

    void choosingAFolderOfAnotherKindIsOneUndoStep()
    {
        engine::Project project = tests::tinyProject();
        project.dataset.kind = "shapes";
        project.dataset.path.clear();
        const QString path = tests::saveProject(project, folder_, QStringLiteral("choose.netdraft"));
        app::MainWindow window { std::make_unique<ScriptedPrompts>() };
        QSignalSpy previewed(window.datasetPanel(), &widgets::DatasetWidget::previewUpdated);
        QVERIFY(window.openProject(path));
        QVERIFY(previewed.wait(30000)); // the panel now knows the project's folder
        // A CIFAR-10 folder beside the project (detection goes by file names).
        QVERIFY(QDir(folder_.path()).mkpath(QStringLiteral("cifar")));
        QFile batch(folder_.filePath(QStringLiteral("cifar/data_batch_1.bin")));
        QVERIFY(batch.open(QIODevice::WriteOnly));
        batch.close();

        QUndoStack* stack = window.session().document().undoStack();
        const int steps = stack->count();
        window.datasetPanel()->useDatasetPath(folder_.filePath(QStringLiteral("cifar")));
        QCOMPARE(window.session().project().dataset.kind, std::string("cifar10"));
        QCOMPARE(window.session().project().dataset.path, std::string("cifar")); // relative to the project
        QCOMPARE(stack->count(), steps + 1);
        stack->undo();
        QCOMPARE(window.session().project().dataset.kind, std::string("shapes"));
        QCOMPARE(window.session().project().dataset.path, std::string());
        QVERIFY(!window.isWindowModified());
        stack->redo();
        QCOMPARE(window.session().project().dataset.kind, std::string("cifar10"));
        QCOMPARE(window.session().project().dataset.path, std::string("cifar"));
    }

    void aBrokenFileShowsAllItsErrorsAndOpensNothing()
    {
        engine::Project project = tests::tinyProject();
        project.training.optimizer = "sgd";
        const QString good = tests::saveProject(project, folder_, QStringLiteral("good.netdraft"));
        const QString broken = folder_.filePath(QStringLiteral("broken.netdraft"));
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QFile source(good);
        QVERIFY(source.open(QIODevice::ReadOnly));
        QByteArray text = source.readAll();
        // Two independent problems: a bad epoch count and an unknown optimizer.
        text.replace("\"epochs\": 1", "\"epochs\": -3");
        text.replace("\"optimizer\": \"sgd\"", "\"optimizer\": \"newton\"");
        QVERIFY(text.contains("\"epochs\": -3") && text.contains("newton"));
        file.write(text);
        file.close();

        auto* prompts = new ScriptedPrompts;
        app::MainWindow window { std::unique_ptr<app::Prompts>(prompts) };
        QVERIFY(window.openProject(good));
        const engine::Project before = window.session().project();
        QVERIFY(!window.openProject(broken));
        QCOMPARE(prompts->loadErrors.size(), 1);
        QVERIFY2(
            prompts->loadErrors.first().contains(QStringLiteral("epochs")), qPrintable(prompts->loadErrors.first()));
        QVERIFY2(
            prompts->loadErrors.first().contains(QStringLiteral("newton")), qPrintable(prompts->loadErrors.first()));
        QVERIFY(window.session().project() == before);
        QCOMPARE(window.session().filePath(), QFileInfo(good).absoluteFilePath());
    }

    void closingWithChangesAsks_data()
    {
        QTest::addColumn<int>("choice");
        QTest::addColumn<bool>("closes");
        QTest::addColumn<bool>("saved");
        QTest::newRow("cancel") << int(app::Prompts::SaveChoice::Cancel) << false << false;
        QTest::newRow("discard") << int(app::Prompts::SaveChoice::Discard) << true << false;
        QTest::newRow("save") << int(app::Prompts::SaveChoice::Save) << true << true;
    }
    void closingWithChangesAsks()
    {
        QFETCH(int, choice);
        QFETCH(bool, closes);
        QFETCH(bool, saved);
        const QString path = tests::saveProject(tests::tinyProject(), folder_, QStringLiteral("close.netdraft"));
        auto* prompts = new ScriptedPrompts;
        prompts->saveChoice = app::Prompts::SaveChoice(choice);
        app::MainWindow window { std::unique_ptr<app::Prompts>(prompts) };
        window.show();
        QVERIFY(window.openProject(path));
        window.session().document().addBlock(QStringLiteral("ReLU"), QPointF(400, 300));
        const size_t blocks = window.session().project().graph.blocks().size();
        QCOMPARE(window.close(), closes);
        QCOMPARE(prompts->saveQuestions, 1);
        app::MainWindow reopened { std::make_unique<ScriptedPrompts>() };
        QVERIFY(reopened.openProject(path));
        QCOMPARE(reopened.session().project().graph.blocks().size() == blocks, saved);
    }
};

NETDRAFT_TEST(ProjectFilesTest);
#include "ProjectFilesTest.moc"
