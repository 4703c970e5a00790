#pragma once
// Typed, checked access to a block's parameters for shape inference and module building.

#include "engine/core/ParamValue.h"
#include "engine/layers/LayerDescription.h"

#include <string>

namespace netdraft::engine {

/// Reads parameters by name with their declared kind; a missing value falls back to the default.
/// Asking for a parameter the layer does not declare, or with the wrong kind, throws Error
/// (a programming error in the layer file, not a user error).
class ParamReader {
public:
    ParamReader(const LayerDescription& description, const ParamMap& values)
        : description_(description), values_(values)
    {
    }

    const ParamValue& value(const std::string& name) const;
    bool isAuto(const std::string& name) const;
    bool boolean(const std::string& name) const;
    int64_t integer(const std::string& name) const;
    double real(const std::string& name) const;
    const std::string& word(const std::string& name) const;
    /// An IntTuple or IntList parameter; a tuple given as a single number comes back repeated.
    IntList list(const std::string& name) const;
    /// For IntTuple parameters that also accept words ("same"): the word, or "" when it is numeric.
    std::string wordOrEmpty(const std::string& name) const;

    const ParamMap& values() const { return values_; }
    const LayerDescription& description() const { return description_; }

private:
    const LayerDescription& description_;
    const ParamMap& values_;
};

} // namespace netdraft::engine
