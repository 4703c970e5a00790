// Times the project format on a generated 1,000-block project: load + validate (parseProject)
// and shape inference alone. Targets: load + validate < 50 ms, inference < 5 ms.
//   netdraft_bench_format [BLOCKS] [RUNS]

#include "engine/graph/GraphBuilder.h"
#include "engine/inference/ShapeInference.h"
#include "engine/io/ProjectFormat.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

using namespace netdraft::engine;

namespace {

/// Input, then Conv2d(3×3, padding 1) + ReLU pairs, then Flatten, Linear and Output: `blocks` in all.
Project makeProject(int blocks)
{
    GraphBuilder builder;
    builder.input({ 16, 8, 8 });
    int made = 1;
    for (int i = 0; made + 2 <= blocks - 3; ++i, made += 2)
        builder
            .then("Conv2d", { { "out_channels", int64_t(16) }, { "padding", int64_t(1) } }, "conv" + std::to_string(i))
            .then("ReLU", {}, "relu" + std::to_string(i));
    while (made < blocks - 3) {
        builder.then("ReLU", {}, "extra" + std::to_string(made));
        ++made;
    }
    builder.then("Flatten", {}, "flatten").then("Linear", { { "out_features", int64_t(10) } }, "fc").output();
    Project project;
    project.name = "Benchmark: " + std::to_string(blocks) + " blocks";
    project.graph = builder.graph();
    return project;
}

struct Timing {
    double cpuMedian = 0; ///< this thread's CPU time: robust when other processes share the cores
    double wallBest = 0;
    double wallMedian = 0;
};

double threadCpuMilliseconds()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

Timing measure(int runs, const std::function<void()>& work)
{
    std::vector<double> cpu, wall;
    for (int i = 0; i < runs; ++i) {
        const double cpuStart = threadCpuMilliseconds();
        const auto start = std::chrono::steady_clock::now();
        work();
        wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        cpu.push_back(threadCpuMilliseconds() - cpuStart);
    }
    std::sort(cpu.begin(), cpu.end());
    std::sort(wall.begin(), wall.end());
    return { cpu[cpu.size() / 2], wall.front(), wall[wall.size() / 2] };
}

/// Targets are judged on the median CPU time (the work itself, whatever else runs on the machine).
void report(const char* what, const Timing& timing, double target)
{
    std::printf("%-28s %9.3f %9.3f %9.3f", what, timing.cpuMedian, timing.wallBest, timing.wallMedian);
    if (target > 0)
        std::printf("   target < %g ms: %s", target, timing.cpuMedian < target ? "met" : "MISSED");
    std::printf("\n");
}

} // namespace

int main(int argc, char** argv)
{
    const int blocks = argc > 1 ? std::max(8, std::atoi(argv[1])) : 1000;
    const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 21;
    const Project project = makeProject(blocks);
    const std::string text = serializeProject(project);
    const Project loaded = parseProject(text, "bench.netdraft");
    const InferenceResult check = inferShapes(loaded.graph);
    if (serializeProject(loaded) != text || check.hasErrors()) {
        std::fprintf(stderr, "benchmark project is not valid:\n%s\n", joinProblems(check.problems()).c_str());
        return 1;
    }
    std::printf("%zu blocks, %zu connections, %zu bytes; %d runs\n", loaded.graph.blocks().size(),
        loaded.graph.connections().size(), text.size(), runs);

    std::printf("%-28s %9s %9s %9s   (milliseconds)\n", "", "CPU med", "wall best", "wall med");
    report("load + validate", measure(runs, [&] { parseProject(text, "bench.netdraft"); }), 50);
    report("shape inference", measure(runs, [&] { inferShapes(loaded.graph); }), 5);
    report("load + validate + inference",
        measure(runs, [&] { inferShapes(parseProject(text, "bench.netdraft").graph); }), 0);
    report("serialize", measure(runs, [&] { serializeProject(loaded); }), 0);
    return 0;
}
