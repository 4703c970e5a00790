#include "tests/engine/TinyCnnProject.h"

#include "engine/graph/GraphBuilder.h"

namespace netdraft::tests {

engine::Project tinyCnnProject()
{
    using engine::IntList;
    engine::GraphBuilder builder;
    builder.input({ 3, 32, 32 })
        .then("Conv2d",
            { { "out_channels", int64_t(4) }, { "kernel_size", IntList { 3, 3 } }, { "stride", IntList { 2, 2 } },
                { "padding", IntList { 1, 1 } } },
            "conv1")
        .then("ReLU", {}, "relu1")
        .then("Conv2d",
            { { "out_channels", int64_t(6) }, { "kernel_size", IntList { 3, 3 } }, { "stride", IntList { 2, 2 } },
                { "padding", IntList { 1, 1 } } },
            "conv2")
        .then("ReLU", {}, "relu2")
        .then("Flatten", {}, "flat")
        .then("Linear", { { "out_features", int64_t(10) } }, "fc")
        .output();
    engine::Project project;
    project.graph = builder.graph();
    project.graph.block("conv2").name = "features";
    project.dataset.kind = "shapes";
    project.dataset.samples = 200;
    project.training.seed = 11;
    return project;
}

} // namespace netdraft::tests
