// Help ▸ Layer Reference, Keyboard Shortcuts and About: their contents, and the menu actions opening them.

#include "app/gui/HelpDialogs.h"
#include "NetdraftVersion.h"
#include "app/gui/MainWindow.h"
#include "engine/core/BuildInfo.h"
#include "engine/layers/LayerRegistry.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QMessageBox>
#include <QTest>
#include <QTextBrowser>
#include <QTimer>

using namespace netdraft;

class HelpDialogsTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;

    /// Triggers `action` (which opens a modal dialog) and returns the dialog's title and text, closing it.
    static QPair<QString, QString> textOfDialogOpenedBy(QAction* action)
    {
        QString title, text;
        QTimer::singleShot(200, [&] {
            QWidget* modal = QApplication::activeModalWidget();
            if (!modal)
                return;
            title = modal->windowTitle();
            if (auto* box = qobject_cast<QMessageBox*>(modal))
                text = box->text();
            else if (auto* browser = modal->findChild<QTextBrowser*>())
                text = browser->toPlainText();
            qobject_cast<QDialog*>(modal)->reject();
        });
        action->trigger();
        return { title, text };
    }

private Q_SLOTS:
    void initTestCase() { tests::isolateUserFolders(folder_); }

    void aboutNamesEveryVersion()
    {
        const QString html = app::aboutHtml();
        const std::string cuda = engine::cudaVersion();
        for (const QString& part : { QStringLiteral("Netdraft " NETDRAFT_VERSION), QString::fromLatin1(qVersion()),
                 QString::fromStdString(engine::libTorchVersion()),
                 cuda.empty() ? QStringLiteral("none") : QString::fromStdString(cuda) })
            QVERIFY2(html.contains(part), qPrintable(part + " missing in " + html));
    }

    void layerReferenceHasEveryLayerAndParameter()
    {
        const QString html = app::layerReferenceHtml();
        const auto types = engine::LayerRegistry::instance().all();
        QVERIFY(types.size() >= 30);
        for (const engine::LayerType* type : types) {
            const engine::LayerDescription& layer = type->description();
            QVERIFY2(html.contains(QStringLiteral("(%1)").arg(QString::fromStdString(layer.type))), layer.type.c_str());
            for (const engine::ParamSpec& spec : layer.params)
                QVERIFY2(html.contains(QStringLiteral("<code>%1</code>").arg(QString::fromStdString(spec.name))),
                    (layer.type + "." + spec.name).c_str());
        }
    }

    void helpMenuOpensTheDialogs()
    {
        app::MainWindow window(std::make_unique<tests::ScriptedPrompts>());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        const auto [layersTitle, layers] = textOfDialogOpenedBy(window.action(QStringLiteral("helpLayers")));
        QCOMPARE(layersTitle, QStringLiteral("Layer Reference"));
        QVERIFY2(layers.contains(QStringLiteral("Conv2d")) && layers.contains(QStringLiteral("out_channels")),
            qPrintable(layers.left(300)));

        const auto [shortcutsTitle, shortcuts] = textOfDialogOpenedBy(window.action(QStringLiteral("helpShortcuts")));
        QCOMPARE(shortcutsTitle, QStringLiteral("Keyboard Shortcuts"));
        for (const char* name : { "trainStart", "fileSave", "helpLayers" }) {
            const QAction* action = window.action(QString::fromLatin1(name));
            const QString line
                = action->text().remove('&') + "\t" + action->shortcut().toString(QKeySequence::NativeText);
            QVERIFY2(shortcuts.contains(action->text().remove('&'))
                    && shortcuts.contains(action->shortcut().toString(QKeySequence::NativeText)),
                qPrintable(line + " missing in:\n" + shortcuts));
        }

        const auto [aboutTitle, about] = textOfDialogOpenedBy(window.action(QStringLiteral("helpAbout")));
        QCOMPARE(aboutTitle, QStringLiteral("About Netdraft"));
        QVERIFY2(about.contains(QStringLiteral("LibTorch")) && about.contains(QString::fromLatin1(qVersion())),
            qPrintable(about));
    }
};

NETDRAFT_TEST(HelpDialogsTest);
#include "HelpDialogsTest.moc"
