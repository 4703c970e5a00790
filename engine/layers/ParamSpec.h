#pragma once
// Describes one layer parameter: its kind, default, range or choices and help. The inspector,
// the loader's validation, the docs and the exporters all read this one description.

#include "engine/core/ParamValue.h"

#include <optional>
#include <string>
#include <vector>

namespace netdraft::engine {

enum class ParamKind {
    Bool,     ///< true/false
    Int,      ///< one integer
    Float,    ///< one real number
    Choice,   ///< one word out of `choices`
    IntTuple, ///< `tupleSize` integers (a single integer is accepted and repeated), or one of `choices`
    IntList,  ///< any number of integers (shapes, milestones)
    RealList, ///< any number of real numbers (per-channel mean and std)
    String,   ///< free text
};

/// The name of a kind as shown in errors and docs: "integer", "list of 2 integers", ...
std::string describeKind(ParamKind kind, int tupleSize = 0);

/// One parameter of a layer type. Built with fluent setters:
/// ParamSpec::integer("out_channels", 32).min(1).help("Number of filters.")
struct ParamSpec {
    std::string name;
    ParamKind kind = ParamKind::Int;
    ParamValue defaultValue;
    std::string helpText;
    std::optional<double> minimum;
    std::optional<double> maximum;
    std::vector<std::string> choices; ///< allowed words (Choice), or words allowed besides a tuple (IntTuple: "same")
    int tupleSize = 0;                ///< IntTuple only
    bool inferred = false;            ///< may be Auto: filled from the incoming shape unless pinned
    bool advanced = false;            ///< hidden in the inspector unless advanced settings are shown
    bool shownOnBlock = false;        ///< a key parameter, printed on the canvas block

    static ParamSpec boolean(std::string name, bool defaultValue);
    static ParamSpec integer(std::string name, int64_t defaultValue);
    static ParamSpec real(std::string name, double defaultValue);
    static ParamSpec choice(std::string name, std::string defaultValue, std::vector<std::string> choices);
    static ParamSpec tuple(std::string name, int size, int64_t defaultValue);
    static ParamSpec intList(std::string name, IntList defaultValue);
    static ParamSpec realList(std::string name, RealList defaultValue);
    static ParamSpec text(std::string name, std::string defaultValue);
    /// An integer inferred from the input (Auto by default) that the user may pin.
    static ParamSpec inferredInteger(std::string name);

    ParamSpec& min(double value) { minimum = value; return *this; }
    ParamSpec& max(double value) { maximum = value; return *this; }
    ParamSpec& help(std::string text) { helpText = std::move(text); return *this; }
    ParamSpec& alsoAllow(std::vector<std::string> words) { choices = std::move(words); return *this; }
    ParamSpec& isAdvanced() { advanced = true; return *this; }
    ParamSpec& onBlock() { shownOnBlock = true; return *this; }

    /// Brings a value into canonical form (a single int for a tuple becomes the tuple, an int for
    /// a real becomes a double) or returns an error such as "must be >= 1, got 0".
    std::optional<std::string> normalize(ParamValue& value) const;
};

} // namespace netdraft::engine
