#include "engine/experiment/ParetoFront.h"

#include <algorithm>
#include <numeric>

namespace netdraft::engine {

std::vector<size_t> paretoFront(const std::vector<TradeOffPoint>& points, bool higherIsBetter)
{
    const auto better = [&](double a, double b) { return higherIsBetter ? a > b : a < b; };
    std::vector<size_t> order(points.size());
    std::iota(order.begin(), order.end(), size_t { 0 });
    // By cost, the better metric first among equal costs: a point is on the front when its metric
    // beats every cheaper point's (or equals the best so far at the same cost and metric).
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        if (points[a].cost != points[b].cost)
            return points[a].cost < points[b].cost;
        return better(points[a].metric, points[b].metric);
    });
    std::vector<size_t> front;
    for (const size_t index : order) {
        if (front.empty()) {
            front.push_back(index);
            continue;
        }
        const TradeOffPoint& best = points[front.back()];
        const TradeOffPoint& point = points[index];
        if (better(point.metric, best.metric) || (point.metric == best.metric && point.cost == best.cost))
            front.push_back(index);
    }
    return front;
}

} // namespace netdraft::engine
