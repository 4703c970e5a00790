#pragma once
// Shared steps of the dataset reader tests: load through prepareData without splitting, and
// catch an Error's message.

#include "engine/core/Error.h"
#include "engine/data/PreparedData.h"

#include <QString>

#include <functional>
#include <string>

namespace netdraft::tests {

/// Loads `kind` from `path` through prepareData with no validation or test split, so the training
/// part holds every sample in file order (datasets with their own test files fill `test`).
inline engine::PreparedData loadUnsplit(const std::string& kind, const std::string& path,
    const engine::ExpectedData& expected, const std::string& target = "target")
{
    engine::DatasetSpec spec;
    spec.kind = kind;
    spec.path = path;
    spec.validationFraction = 0.0;
    spec.testFraction = 0.0;
    spec.targetColumn = target;
    return engine::prepareData(spec, "", expected);
}

/// The message of the engine::Error that `action` throws, or "no error".
inline QString errorMessage(const std::function<void()>& action)
{
    try {
        action();
    } catch (const engine::Error& error) {
        return QString::fromStdString(error.what());
    }
    return "no error";
}

} // namespace netdraft::tests
