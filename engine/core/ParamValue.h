#pragma once
// The value of one block parameter, and the map of a block's parameters.

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace netdraft::engine {

using IntList = std::vector<int64_t>;
using RealList = std::vector<double>;

/// Auto marks a parameter that is inferred from the incoming shape (e.g. in_channels) unless pinned.
struct Auto {
    bool operator==(const Auto&) const { return true; }
    bool operator!=(const Auto&) const { return false; }
    bool operator<(const Auto&) const { return false; }
};

/// One parameter value: auto, a flag, an integer, a real number, a word (choice or text), or a list
/// of integers or of real numbers.
using ParamValue = std::variant<Auto, bool, int64_t, double, std::string, IntList, RealList>;

/// A block's parameters by name; ordered so that saving is deterministic.
using ParamMap = std::map<std::string, ParamValue>;

/// Human-readable form: "auto", "true", "3", "0.001", "same", "3×3".
std::string formatParamValue(const ParamValue& value);

inline bool isAuto(const ParamValue& value) { return std::holds_alternative<Auto>(value); }

} // namespace netdraft::engine
