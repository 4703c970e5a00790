#include "tests/support/TestRegistry.h"

#include <QTest>

#include <cstdio>
#include <vector>

namespace netdraft::tests {

std::map<std::string, TestFactory>& testRegistry()
{
    static std::map<std::string, TestFactory> registry;
    return registry;
}

int runRegisteredTests(int argc, char** argv)
{
    std::vector<std::string> names;
    int first = 1;
    if (argc > 1 && argv[1][0] != '-') {
        names.push_back(argv[1]);
        first = 2;
    } else {
        for (const auto& [name, factory] : testRegistry())
            names.push_back(name);
    }
    std::vector<char*> arguments{argv[0]};
    for (int i = first; i < argc; ++i)
        arguments.push_back(argv[i]);
    int failures = 0;
    for (const std::string& name : names) {
        auto it = testRegistry().find(name);
        if (it == testRegistry().end()) {
            std::fprintf(stderr, "no test class named %s\n", name.c_str());
            return 2;
        }
        std::unique_ptr<QObject> test = it->second();
        failures += QTest::qExec(test.get(), static_cast<int>(arguments.size()), arguments.data());
    }
    return failures == 0 ? 0 : 1;
}

} // namespace netdraft::tests
