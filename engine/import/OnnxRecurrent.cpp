#include "engine/import/OnnxRecurrent.h"

#include "engine/core/Error.h"
#include "engine/import/OnnxNodeMapper.h"
#include "engine/import/RecurrentLastStep.h"

#include <sstream>

namespace netdraft::engine {

namespace {

std::string dimsText(const std::vector<int64_t>& dims)
{
    std::ostringstream text;
    text << "[";
    for (size_t i = 0; i < dims.size(); ++i)
        text << (i ? ", " : "") << (dims[i] < 0 ? std::string("…") : std::to_string(dims[i]));
    text << "]";
    return text.str();
}

/// Rows of `gates` blocks (the first dimension) put in torch's gate order: torch's gate j is ONNX's
/// gate `fromOnnx[j]`.
torch::Tensor torchGateOrder(const torch::Tensor& onnxRows, const std::vector<int64_t>& fromOnnx)
{
    const int64_t gates = static_cast<int64_t>(fromOnnx.size());
    std::vector<int64_t> blocked { gates, onnxRows.size(0) / gates };
    blocked.insert(blocked.end(), onnxRows.sizes().begin() + 1, onnxRows.sizes().end());
    return onnxRows.reshape(blocked)
        .index_select(0, torch::tensor(fromOnnx, torch::kLong))
        .reshape(onnxRows.sizes())
        .contiguous();
}

/// The axes of a Squeeze: its second input from opset 13, its attribute before.
std::optional<IntList> squeezeAxes(const onnx::NodeProto& node, const OnnxValues& values)
{
    if (node.input_size() > 1 && !node.input(1).empty()) {
        std::optional<OnnxSymbolicInts> axes = values.symbolic(node.input(1));
        if (!axes || values.isSymbolic(node.input(1)))
            return std::nullopt;
        return axes->items;
    }
    return onnxInts(node, "axes", {});
}

} // namespace

OnnxRecurrentReader::OnnxRecurrentReader(const OnnxValues& values, std::map<std::string, int>& tensors,
    std::vector<ImportedOp>& ops, const std::map<std::string, int>& uses, std::string sourceName)
    : values_(values)
    , tensors_(tensors)
    , ops_(ops)
    , uses_(uses)
    , sourceName_(std::move(sourceName))
{
}

int OnnxRecurrentReader::uses(const std::string& name) const
{
    auto found = uses_.find(name);
    return found == uses_.end() ? 0 : found->second;
}

void OnnxRecurrentReader::follow(const std::string& from, const std::string& to)
{
    if (auto found = onlyReader_.find(from); found != onlyReader_.end() && uses(to) == 1)
        onlyReader_[to] = found->second;
}

void OnnxRecurrentReader::setTimeFirst(const std::string& name, int op, const std::string& from)
{
    auto batchFirst = batchFirst_.find(op);
    if (batchFirst == batchFirst_.end() || batchFirst->second)
        views_[name] = { op, View::TimeFirst };
    else
        tensors_[name] = op;
    follow(from, name);
}

std::string OnnxRecurrentReader::viewReason(const std::string& name) const
{
    auto found = views_.find(name);
    if (found == views_.end())
        return {};
    switch (found->second.view) {
    case View::TimeFirst:
        return "it reads the sequence transposed to time first (T×N×…), which only an LSTM or GRU block takes";
    case View::Directions:
        return "it reads a recurrent output with its directions axis (T×D×N×H); only a Squeeze or a Transpose and "
               "Reshape of it have a block";
    case View::Joinable:
        return "it reads a recurrent output split by direction (…×D×H); only a Reshape joining the last two "
               "dimensions has a block";
    }
    return {};
}

bool OnnxRecurrentReader::read(const onnx::NodeProto& node, const std::string& modulePath)
{
    if (!node.domain().empty() && node.domain() != "ai.onnx")
        return false;
    const std::string& type = node.op_type();
    if (type == "LSTM" || type == "GRU" || type == "RNN")
        return recurrent(node, modulePath);
    if (node.input_size() < 1 || node.output_size() < 1)
        return false;
    if (type == "Transpose")
        return transpose(node);
    if (type == "Squeeze")
        return squeeze(node);
    if (type == "Reshape")
        return reshape(node);
    if (type == "Gather")
        return lastStep(node, modulePath);
    return false;
}

torch::Tensor OnnxRecurrentReader::weight(
    const onnx::NodeProto& node, int index, const char* what, std::vector<int64_t> dims) const
{
    std::optional<torch::Tensor> value = values_.constant(node.input(index));
    if (!value)
        throw UnmappedOnnxNode { std::string("its ") + what + " is computed while running, not a constant" };
    bool fits = value->dim() == static_cast<int64_t>(dims.size());
    for (size_t i = 0; fits && i < dims.size(); ++i)
        fits = dims[i] < 0 || value->size(static_cast<int64_t>(i)) == dims[i];
    ND_CHECK(fits, sourceName_, ": node ", node.name(), " (", node.op_type(), "): ", what, " has dims ",
        dimsText(std::vector<int64_t>(value->sizes().begin(), value->sizes().end())), ", expected ", dimsText(dims),
        " (directions, gates × hidden_size, …)");
    return value->to(torch::kFloat).contiguous();
}

bool OnnxRecurrentReader::recurrent(const onnx::NodeProto& node, const std::string& modulePath)
{
    const bool lstm = node.op_type() == "LSTM";
    const bool rnn = node.op_type() == "RNN";
    const int64_t layout = onnxInt(node, "layout", 0);
    const std::string direction = onnxString(node, "direction", "forward");
    if (direction != "forward" && direction != "bidirectional")
        throw UnmappedOnnxNode { "direction " + direction + " (backwards only) has no block" };
    const int64_t directions = direction == "bidirectional" ? 2 : 1;
    const int64_t hidden = onnxInt(node, "hidden_size", 0);
    ND_CHECK(hidden >= 1, sourceName_, ": node ", node.name(), " (", node.op_type(), ") has no hidden_size");
    if (onnxHas(node, "clip"))
        throw UnmappedOnnxNode { "a cell clip has no block parameter" };
    if (onnxInt(node, "input_forget", 0) != 0)
        throw UnmappedOnnxNode { "input_forget 1 (coupled input and forget gates) has no block" };
    if (node.op_type() == "GRU" && onnxInt(node, "linear_before_reset", 0) != 1)
        throw UnmappedOnnxNode { "linear_before_reset 0 (the reset gate before the recurrent product) differs from "
                                 "torch's GRU; only linear_before_reset 1 has a block" };
    std::string nonlinearity = "tanh"; // RNN: one activation per direction, both the same (torch's)
    if (rnn) {
        const std::vector<std::string> activations = onnxStrings(node, "activations");
        for (const std::string& activation : activations)
            if ((activation != "Tanh" && activation != "Relu") || activation != activations.front())
                throw UnmappedOnnxNode { "activation " + activation
                    + " has no block; only Tanh or Relu, the same in both directions, have one" };
        if (!activations.empty() && activations.front() == "Relu")
            nonlinearity = "relu";
    }
    const std::vector<std::string> defaults = lstm ? std::vector<std::string> { "Sigmoid", "Tanh", "Tanh" }
                                                   : std::vector<std::string> { "Sigmoid", "Tanh" };
    for (const onnx::AttributeProto& attribute : node.attribute())
        if (attribute.name() == "activations" && !rnn)
            for (int i = 0; i < attribute.strings_size(); ++i)
                if (attribute.strings(i) != defaults[static_cast<size_t>(i) % defaults.size()])
                    throw UnmappedOnnxNode { "activation " + attribute.strings(i) + " has no block; only "
                        + (lstm ? "Sigmoid, Tanh, Tanh" : "Sigmoid, Tanh") + " (torch's) have one" };
    auto present = [&](int index) { return index < node.input_size() && !node.input(index).empty(); };
    if (present(4))
        throw UnmappedOnnxNode { "sequence lengths per sample (sequence_lens) have no block" };
    for (int index : lstm ? std::vector<int> { 5, 6, 7 } : std::vector<int> { 5 })
        if (present(index) && !values_.isZeros(node.input(index)))
            throw UnmappedOnnxNode { index == 7 ? "peephole weights (P) have no block"
                                                : "an initial state other than zeros has no block" };
    for (int i = 1; i < node.output_size(); ++i)
        if (!node.output(i).empty() && uses(node.output(i)) > 0)
            throw UnmappedOnnxNode { std::string("its final ") + (i == 1 ? "hidden state (Y_h)" : "cell state (Y_c)")
                + " is used; only the output sequence has a block (read its last step instead)" };

    ImportedOp op;
    op.modulePath = modulePath;
    op.layerType = node.op_type();
    if (rnn)
        op.params["nonlinearity"] = nonlinearity;
    bool batchFirst = layout == 1;
    const std::string& x = node.input(0);
    if (auto view = views_.find(x); layout == 0 && view != views_.end() && view->second.view == View::TimeFirst) {
        op.inputs.push_back(view->second.op);
        batchFirst = true;
    } else if (auto plain = tensors_.find(x); plain != tensors_.end()) {
        op.inputs.push_back(plain->second);
    } else {
        const std::string reason = viewReason(x);
        throw UnmappedOnnxNode { reason.empty() ? "its input '" + x + "' comes from a node that has no block"
                                                : reason };
    }
    if (stack(node, op, batchFirst, directions, hidden))
        return true;
    const std::vector<int64_t> inputDims = values_.dims(x);
    const int64_t features = inputDims.size() == 3 ? inputDims[2] : -1;
    addWeights(node, op, 0, features, directions, hidden);
    op.params["hidden_size"] = hidden;
    op.params["bidirectional"] = directions == 2;
    op.params["batch_first"] = batchFirst;
    op.params["bias"] = present(3);
    const int index = static_cast<int>(ops_.size());
    ops_.push_back(std::move(op));
    batchFirst_[index] = batchFirst;
    const std::string& y = node.output(0);
    views_[y] = layout == 0 ? ViewOf { index, View::Directions, directions, true }
                            : ViewOf { index, View::Joinable, directions, false };
    if (uses(y) == 1)
        onlyReader_[y] = index;
    return true;
}

void OnnxRecurrentReader::addWeights(const onnx::NodeProto& node, ImportedOp& op, int64_t layer, int64_t features,
    int64_t directions, int64_t hidden) const
{
    const std::string& type = node.op_type();
    const int64_t gates = type == "LSTM" ? 4 : type == "GRU" ? 3 : 1;
    const torch::Tensor w = weight(node, 1, "W", { directions, gates * hidden, features });
    const torch::Tensor r = weight(node, 2, "R", { directions, gates * hidden, hidden });
    const bool bias = node.input_size() > 3 && !node.input(3).empty();
    const torch::Tensor b = bias ? weight(node, 3, "B", { directions, 2 * gates * hidden }) : torch::Tensor();
    // torch's gates i, f, g, o are ONNX's i, o, f, c at 0, 2, 3, 1; torch's r, z, n are ONNX's z, r, h at 1, 0, 2.
    const std::vector<int64_t> fromOnnx = type == "LSTM" ? std::vector<int64_t> { 0, 2, 3, 1 }
        : type == "GRU"                                 ? std::vector<int64_t> { 1, 0, 2 }
                                                        : std::vector<int64_t> { 0 };
    for (int64_t d = 0; d < directions; ++d) {
        const std::string suffix = "_l" + std::to_string(layer) + (d ? "_reverse" : "");
        op.weights.emplace_back("weight_ih" + suffix, torchGateOrder(w[d], fromOnnx));
        op.weights.emplace_back("weight_hh" + suffix, torchGateOrder(r[d], fromOnnx));
        if (bias) { // B = [input biases; recurrent biases]
            op.weights.emplace_back("bias_ih" + suffix, torchGateOrder(b[d].narrow(0, 0, gates * hidden), fromOnnx));
            op.weights.emplace_back(
                "bias_hh" + suffix, torchGateOrder(b[d].narrow(0, gates * hidden, gates * hidden), fromOnnx));
        }
    }
}

bool OnnxRecurrentReader::stack(
    const onnx::NodeProto& node, const ImportedOp& op, bool batchFirst, int64_t directions, int64_t hidden)
{
    // torch exports nn.LSTM(num_layers=2) as two nodes, the second reading the first's output alone
    const int below = op.inputs.front();
    auto reader = onlyReader_.find(node.input(0));
    if (below < 0 || reader == onlyReader_.end() || reader->second != below)
        return false;
    ImportedOp& lower = ops_[static_cast<size_t>(below)];
    const bool bias = node.input_size() > 3 && !node.input(3).empty();
    auto same = [&](const char* name, const ParamValue& value) {
        auto found = lower.params.find(name);
        return found != lower.params.end() && found->second == value;
    };
    if (lower.layerType != op.layerType || lower.modulePath != op.modulePath || op.modulePath.empty()
        || !same("hidden_size", hidden) || lower.params.count("nonlinearity") != op.params.count("nonlinearity")
        || (op.params.count("nonlinearity") && !same("nonlinearity", op.params.at("nonlinearity")))
        || !same("bidirectional", directions == 2) || !same("bias", bias) || !same("batch_first", batchFirst))
        return false;
    auto layers = lower.params.find("num_layers");
    const int64_t layer = layers == lower.params.end() ? 1 : std::get<int64_t>(layers->second);
    addWeights(node, lower, layer, hidden * directions, directions, hidden);
    lower.params["num_layers"] = layer + 1;
    const std::string& y = node.output(0);
    views_[y] = onnxInt(node, "layout", 0) == 0 ? ViewOf { below, View::Directions, directions, true }
                                                : ViewOf { below, View::Joinable, directions, false };
    if (uses(y) == 1)
        onlyReader_[y] = below;
    return true;
}

bool OnnxRecurrentReader::transpose(const onnx::NodeProto& node)
{
    const IntList perm = onnxInts(node, "perm", {});
    const std::string& x = node.input(0);
    auto view = views_.find(x);
    if (perm == IntList { 1, 0, 2 }) {
        if (view != views_.end() && view->second.view == View::TimeFirst) {
            tensors_[node.output(0)] = view->second.op; // back to batch first
            follow(x, node.output(0));
            return true;
        }
        auto plain = tensors_.find(x);
        if (view != views_.end() || plain == tensors_.end() || values_.dims(x).size() != 3)
            return false;
        auto batchFirst = batchFirst_.find(plain->second);
        if (batchFirst != batchFirst_.end() && !batchFirst->second)
            return false; // a time-first block's output to batch first: no block does this
        views_[node.output(0)] = { plain->second, View::TimeFirst };
        follow(x, node.output(0));
        return true;
    }
    if (perm == IntList { 0, 2, 1, 3 } && view != views_.end() && view->second.view == View::Directions) {
        views_[node.output(0)] = { view->second.op, View::Joinable, view->second.directions, true };
        follow(x, node.output(0));
        return true;
    }
    return false;
}

bool OnnxRecurrentReader::squeeze(const onnx::NodeProto& node)
{
    auto view = views_.find(node.input(0));
    if (view == views_.end() || view->second.directions != 1)
        return false;
    const std::optional<IntList> axes = squeezeAxes(node, values_);
    if (!axes || axes->size() != 1)
        return false;
    const ViewOf of = view->second;
    const int64_t axis = axes->front();
    if (of.view == View::Directions && (axis == 1 || axis == -3))
        setTimeFirst(node.output(0), of.op, node.input(0));
    else if (of.view == View::Joinable && (axis == 2 || axis == -2) && of.timeFirst)
        setTimeFirst(node.output(0), of.op, node.input(0));
    else if (of.view == View::Joinable && (axis == 2 || axis == -2)) {
        tensors_[node.output(0)] = of.op;
        follow(node.input(0), node.output(0));
    } else
        return false;
    return true;
}

bool OnnxRecurrentReader::reshape(const onnx::NodeProto& node)
{
    auto view = views_.find(node.input(0));
    if (view == views_.end() || view->second.view != View::Joinable || node.input_size() < 2)
        return false;
    const std::optional<OnnxSymbolicInts> shape = values_.symbolic(node.input(1));
    const int64_t hidden = std::get<int64_t>(ops_[static_cast<size_t>(view->second.op)].params.at("hidden_size"));
    if (!shape || shape->items.size() != 3
        || (shape->items[2] != -1 && shape->items[2] != hidden * view->second.directions) || shape->items[0] == -1
        || shape->items[1] == -1)
        return false;
    const ViewOf of = view->second;
    if (of.timeFirst) {
        setTimeFirst(node.output(0), of.op, node.input(0));
    } else {
        tensors_[node.output(0)] = of.op;
        follow(node.input(0), node.output(0));
    }
    return true;
}

bool OnnxRecurrentReader::lastStep(const onnx::NodeProto& node, const std::string& modulePath)
{
    const std::string& x = node.input(0);
    const std::optional<OnnxSymbolicInts> index = values_.symbolic(node.input(1));
    if (!index || !index->scalar || index->items.size() != 1 || values_.isSymbolic(node.input(1)))
        return false;
    const int64_t axis = onnxInt(node, "axis", 0);
    const std::vector<int64_t> dims = values_.dims(x);
    const int64_t steps = dims.size() == 3 ? dims[static_cast<size_t>(axis < 0 ? axis + 3 : axis)] : -1;
    const int64_t at = index->items.front();
    const bool last = isLastTimeStep(at, steps);
    int op = -1;
    int64_t dim = 1; // the time steps of the block's batch-first output
    if (auto view = views_.find(x); view != views_.end()) {
        if (view->second.view != View::TimeFirst || axis != 0)
            return false;
        op = view->second.op;
    } else if (auto plain = tensors_.find(x); plain != tensors_.end() && batchFirst_.count(plain->second)) {
        dim = batchFirst_.at(plain->second) ? 1 : 0;
        if (axis != dim || !last)
            return false; // a Select block (OnnxNodeMapper), or none for the batch dimension
        op = plain->second;
    } else {
        return false;
    }
    // One step of the recurrent op's output; foldLastTimeSteps makes the last one, read by nothing
    // else, the block's output 'last'.
    ImportedOp select;
    select.modulePath = modulePath;
    select.layerType = "Select";
    select.inputs.push_back(op);
    select.params["dim"] = dim;
    select.params["index"] = last ? int64_t(-1) : at;
    tensors_[node.output(0)] = static_cast<int>(ops_.size());
    ops_.push_back(std::move(select));
    return true;
}

} // namespace netdraft::engine
