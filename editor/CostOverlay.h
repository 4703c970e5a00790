#pragma once
// View ▸ Cost overlay: tints every block of the canvas by its multiply-accumulates, parameters,
// activation memory or measured time (CostAnalysis; time while the Cost panel's profile is current,
// else the legend says why nothing is tinted), with a legend in the view's corner, and puts each block's
// figures in its tooltip, its parameter count on its face and the count's warnings on it (a layer
// holding most of the parameters) whether the overlay is on or off.

#include "editor/CostAnalysis.h"

#include <QColor>
#include <QObject>

#include <optional>

class QGraphicsView;
class QWidget;

namespace netdraft::editor {

class GraphScene;

class CostOverlay : public QObject {
    Q_OBJECT
public:
    /// The legend is drawn in `view`'s bottom-left corner.
    CostOverlay(GraphScene& scene, CostAnalysis& analysis, QGraphicsView* view, QObject* parent = nullptr);

    /// What the blocks are tinted by; none: the overlay is off (tooltips keep the figures).
    void setMetric(std::optional<CostMetric> metric);
    std::optional<CostMetric> metric() const { return metric_; }
    /// The legend (hidden while the overlay is off), for tests.
    QWidget* legend() const { return legend_; }
    /// The legend's title and its largest figure (or why there is none); empty while hidden.
    QString legendText() const;
    /// The tint of a block with `fraction` (0 to 1) of the largest figure: pale yellow through orange
    /// to red, each channel monotonic, so a larger figure is never lighter.
    static QColor colorFor(double fraction);

    /// Gives every block item its figures and tint from the latest count.
    void apply();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void placeLegend();

    GraphScene& scene_;
    CostAnalysis& analysis_;
    QGraphicsView* view_;
    QWidget* legend_;
    std::optional<CostMetric> metric_;
};

} // namespace netdraft::editor
