#include "tests/engine/TestGraphs.h"

#include "engine/graph/GraphBuilder.h"

namespace netdraft::tests {

using engine::GraphBuilder;
using engine::ParamMap;

engine::Graph classicCnn(bool withPooling)
{
    GraphBuilder builder;
    builder.input({3, 32, 32});
    int64_t channels[] = {32, 64, 128};
    for (int i = 0; i < 3; ++i) {
        const std::string n = std::to_string(i + 1);
        builder.then("Conv2d", {{"out_channels", channels[i]}, {"padding", int64_t(1)}}, "conv" + n)
            .then("ReLU", {}, "relu" + n);
        if (withPooling)
            builder.then("MaxPool2d", {}, "pool" + n);
    }
    builder.then("Flatten", {}, "flatten");
    ParamMap linear{{"out_features", int64_t(10)}};
    if (!withPooling)
        linear["in_features"] = int64_t(128);
    builder.then("Linear", linear, "fc").output();
    return builder.graph();
}

} // namespace netdraft::tests
