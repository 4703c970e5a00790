#pragma once
// The trade-off between what a trial costs (parameters, multiply-accumulates) and how well it does:
// the trials no other trial beats on both at once.

#include <cstddef>
#include <vector>

namespace netdraft::engine {

/// One trial on the accuracy-vs-cost chart.
struct TradeOffPoint {
    double cost = 0.0; ///< lower is better
    double metric = 0.0;
};

/// The indexes of the points on the Pareto front, by increasing cost: a point is on it when no other
/// point has a cost no higher and a metric no worse, and is strictly better in one of the two. Equal
/// points are all on the front. `higherIsBetter`: accuracy (true) or loss (false).
std::vector<size_t> paretoFront(const std::vector<TradeOffPoint>& points, bool higherIsBetter);

} // namespace netdraft::engine
