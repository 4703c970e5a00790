#pragma once
// Python literals for the export hooks: tuples, lists, booleans, floats and strings written the way
// PyTorch code writes them. TorchScript uses the same syntax, so both hooks share these.

#include "engine/core/ParamValue.h"

#include <string>
#include <vector>

namespace netdraft::engine::python {

/// "True" / "False".
std::string boolean(bool value);
/// The shortest literal that reads back as `value`, like Python's repr: "0.1", "1e-05", "2.0".
std::string real(double value);
/// "(3, 3)"; a single element keeps its comma: "(3,)".
std::string tuple(const IntList& values);
/// "[3, 3]".
std::string list(const IntList& values);
/// "[2.0, 2.0]".
std::string realList(const RealList& values);
/// "'same'".
std::string quoted(const std::string& text);
/// Joins `parts` with `separator`.
std::string join(const std::vector<std::string>& parts, const std::string& separator);
/// `expression` made safe as an operand or a method receiver: wrapped in parentheses unless it is
/// a name, a call or a subscript ("x", "self.conv1(x)", "h[0]").
std::string operand(const std::string& expression);
/// The input expression of a block with one input port: "x" when the exporter gave none.
std::string firstInput(const std::vector<std::string>& inputs);

} // namespace netdraft::engine::python
