#pragma once
// Lets each Qt Test class live in its own file and register itself with the suite's runner,
// so one executable (one link, one precompiled header) serves many CTest entries.

#include <QObject>

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace netdraft::tests {

using TestFactory = std::function<std::unique_ptr<QObject>()>;

/// Test classes of this executable by class name.
std::map<std::string, TestFactory>& testRegistry();

template <typename TestClass>
struct TestRegistration {
    explicit TestRegistration(const char* name)
    {
        testRegistry()[name] = [] { return std::make_unique<TestClass>(); };
    }
};

/// Runs the class named by argv[1] (or every class when none is named) with the remaining Qt Test arguments.
int runRegisteredTests(int argc, char** argv);

} // namespace netdraft::tests

/// Registers a Qt Test class; put it after the class in its .cpp file.
#define NETDRAFT_TEST(TestClass)                                                                     \
    static const ::netdraft::tests::TestRegistration<TestClass> netdraftTestRegistration_##TestClass{#TestClass}
