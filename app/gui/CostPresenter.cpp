#include "app/gui/CostPresenter.h"

#include "app/gui/SettingKey.h"
#include "editor/CostAnalysis.h"
#include "editor/CostOverlay.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"
#include "widgets/editing/CostTableWidget.h"

#include <QAction>
#include <QActionGroup>
#include <QLabel>
#include <QMenu>

namespace netdraft::app {
namespace {
const SettingKey<bool> kCostOverlay { "view/costOverlay", false };
const SettingKey<QString> kCostMetric { "view/costMetric", QStringLiteral("macs") };

struct MetricChoice {
    const char* key;
    editor::CostMetric metric;
    const char* actionName;
};
const MetricChoice kMetrics[] = {
    { "macs", editor::CostMetric::MultiplyAccumulates, "viewCostMacs" },
    { "parameters", editor::CostMetric::Parameters, "viewCostParameters" },
    { "memory", editor::CostMetric::Memory, "viewCostMemory" },
    { "time", editor::CostMetric::Time, "viewCostTime" }, // after Profile in the Cost panel
};
} // namespace

CostPresenter::CostPresenter(
    editor::GraphDocument& document, editor::GraphScene& scene, editor::GraphView& view, QObject* parent)
    : QObject(parent)
    , analysis_(new editor::CostAnalysis(document, this))
    , overlay_(new editor::CostOverlay(scene, *analysis_, &view, this))
    , table_(new widgets::CostTableWidget(*analysis_))
    , memoryLabel_(new QLabel)
    , parametersLabel_(new QLabel)
    , toggle_(new QAction(tr("Cost &Overlay"), this))
{
    memoryLabel_->setObjectName(QStringLiteral("memoryFitStatus"));
    connect(analysis_, &editor::CostAnalysis::updated, memoryLabel_,
        [this] { memoryLabel_->setText(editor::memoryFitText(analysis_->report())); });
    parametersLabel_->setObjectName(QStringLiteral("parameterTotalStatus"));
    parametersLabel_->setContentsMargins(0, 0, 12, 0); // apart from the memory-fit line right of it
    parametersLabel_->setText(editor::parameterTotalText(analysis_->report()));
    connect(analysis_, &editor::CostAnalysis::updated, parametersLabel_, [this] {
        parametersLabel_->setText(editor::parameterTotalText(analysis_->report()));
        parametersLabel_->setToolTip(editor::parameterTotalToolTip(analysis_->report()));
    });
    connect(table_, &widgets::CostTableWidget::blockActivated, &scene, [&scene, &view](const QString& id) {
        scene.selectBlocks({ id });
        view.focusBlock(id);
    });

    toggle_->setObjectName(QStringLiteral("viewCostOverlay"));
    toggle_->setCheckable(true);
    toggle_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    toggle_->setStatusTip(tr("Colour the blocks by their cost, with a legend"));
    auto* group = new QActionGroup(this);
    const QString chosen = kCostMetric.get();
    for (const MetricChoice& choice : kMetrics) {
        QAction* action = group->addAction(tr("Colour by %1").arg(editor::metricName(choice.metric)));
        action->setObjectName(QString::fromLatin1(choice.actionName));
        action->setCheckable(true);
        action->setChecked(chosen == QLatin1String(choice.key));
        action->setData(QString::fromLatin1(choice.key));
        if (choice.metric == editor::CostMetric::Time)
            action->setStatusTip(tr("Colour the blocks by their forward + backward time measured by Profile in "
                                    "the Cost panel"));
        metrics_ << action;
    }
    if (!group->checkedAction())
        metrics_.first()->setChecked(true);
    toggle_->setChecked(kCostOverlay.get());
    connect(toggle_, &QAction::toggled, this, [this](bool on) {
        kCostOverlay.set(on);
        applyOverlaySettings();
    });
    connect(group, &QActionGroup::triggered, this, [this](QAction* action) {
        kCostMetric.set(action->data().toString());
        toggle_->setChecked(true); // choosing a metric shows it
        applyOverlaySettings();
    });
    applyOverlaySettings();
}

CostPresenter::~CostPresenter()
{
    if (memoryLabel_ && !memoryLabel_->parent())
        delete memoryLabel_; // never added to a status bar
    if (parametersLabel_ && !parametersLabel_->parent())
        delete parametersLabel_;
}

void CostPresenter::addViewActions(QMenu* view)
{
    view->addAction(toggle_);
    QMenu* metric = view->addMenu(tr("Cost Overlay &Colours By"));
    metric->addActions(metrics_);
}

void CostPresenter::applyOverlaySettings()
{
    if (!toggle_->isChecked()) {
        overlay_->setMetric(std::nullopt);
        return;
    }
    for (size_t i = 0; i < std::size(kMetrics); ++i)
        if (metrics_[int(i)]->isChecked())
            overlay_->setMetric(kMetrics[i].metric);
}

} // namespace netdraft::app
