#pragma once
// One block of the network graph and the ends of a connection.

#include "engine/core/ParamValue.h"

#include <string>

namespace netdraft::engine {

struct Point {
    double x = 0;
    double y = 0;
    bool operator==(const Point& other) const { return x == other.x && y == other.y; }
};

/// A placed layer: stable id (an identifier, used for parameter names), layer type, parameters,
/// optional display name, canvas position and whether training leaves its weights alone.
struct Block {
    std::string id;
    std::string type;
    std::string name; ///< display name; empty means "show the id"
    ParamMap params;
    Point position;
    /// Frozen: its parameters get no gradient and no optimizer step, its batch-norm statistics stay
    /// (fine-tuning). A frozen composite instance freezes every block inside it.
    bool frozen = false;
    /// Multiplies the run's learning rate for this block's parameters (fine-tuning: a pretrained block
    /// learns slower than a new head); > 0, 1 = the run's rate. On a composite instance it multiplies
    /// the scale of every block inside.
    double learningRateScale = 1.0;

    const std::string& displayName() const { return name.empty() ? id : name; }
    bool operator==(const Block& other) const
    {
        return id == other.id && type == other.type && name == other.name && params == other.params
            && position == other.position && frozen == other.frozen && learningRateScale == other.learningRateScale;
    }
};

/// A named port of a block.
struct PortRef {
    std::string block;
    std::string port;
    bool operator==(const PortRef& other) const { return block == other.block && port == other.port; }
    bool operator<(const PortRef& other) const
    {
        return block != other.block ? block < other.block : port < other.port;
    }
};

/// Data flows from an output port to an input port. An input port takes one connection.
struct Connection {
    PortRef from;
    PortRef to;
    bool operator==(const Connection& other) const { return from == other.from && to == other.to; }
};

/// "conv1.out → relu1.in", for messages.
std::string describeConnection(const Connection& connection);

} // namespace netdraft::engine
