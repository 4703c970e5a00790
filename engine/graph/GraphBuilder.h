#pragma once
// Builds graphs in code: chains of layers with default parameters, for examples, tests and benchmarks.

#include "engine/graph/Graph.h"

#include <string>

namespace netdraft::engine {

/// Appends blocks left to right, each fed by the previous one:
///   GraphBuilder().input({3, 32, 32}).then("Conv2d", {{"out_channels", int64_t(32)}}).then("ReLU").output().graph()
class GraphBuilder {
public:
    /// Adds an Input block with this per-sample shape.
    GraphBuilder& input(const IntList& sampleShape, const std::string& id = "input");
    /// Adds a block of `type` (parameters at their defaults, then `params`) fed by the last block's
    /// first output.
    /// An empty id gets a fresh one from the type name ("conv2d1").
    GraphBuilder& then(const std::string& type, const ParamMap& params = {}, const std::string& id = {});
    /// Adds a block that is not connected; the next then() chains from it.
    GraphBuilder& add(const std::string& type, const ParamMap& params = {}, const std::string& id = {});
    /// Connects output port `fromPort` of `from` to input port `port` of `to`.
    GraphBuilder& connect(const std::string& from, const std::string& to, const std::string& port = "in",
        const std::string& fromPort = "out");
    /// Makes `id` the block that the next then() chains from.
    GraphBuilder& from(const std::string& id);
    /// Adds the Output block.
    GraphBuilder& output(const std::string& task = "classification", const std::string& id = "output");

    const std::string& last() const { return last_; }
    const Graph& graph() const { return graph_; }

private:
    Graph graph_;
    std::string last_;
    double nextX_ = 0;
};

} // namespace netdraft::engine
