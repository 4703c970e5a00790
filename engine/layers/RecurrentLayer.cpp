#include "engine/layers/RecurrentLayer.h"

#include "engine/layers/PythonFormat.h"

#include <algorithm>

namespace netdraft::engine {

namespace {

std::vector<ParamSpec> recurrentParams(std::vector<ParamSpec> extra)
{
    std::vector<ParamSpec> params {
        ParamSpec::inferredInteger("input_size")
            .help("Features per time step; inferred from the incoming shape unless pinned."),
        ParamSpec::integer("hidden_size", 64).min(1).onBlock().help("Features of the hidden state."),
        ParamSpec::integer("num_layers", 1).min(1).help("Recurrent layers stacked on each other."),
        ParamSpec::choice("output", "sequence", { "sequence", "last" })
            .onBlock()
            .help("'sequence': the output at every time step (N×T×H·directions); 'last': only the last time "
                  "step (N×H·directions), e.g. for classification."),
        ParamSpec::boolean("bidirectional", false).help("Also run backwards over the sequence and concatenate."),
        ParamSpec::boolean("batch_first", true)
            .isAdvanced()
            .help("Input is N×T×features; off: T×N×features (PyTorch's default order)."),
        ParamSpec::real("dropout", 0.0)
            .min(0)
            .max(1)
            .isAdvanced()
            .help("Dropout between stacked layers while training (needs num_layers > 1)."),
        ParamSpec::boolean("bias", true).isAdvanced().help("Learn bias vectors."),
    };
    params.insert(params.end(), extra.begin(), extra.end());
    return params;
}

/// "[:, -1, :]" picks the last time step of a batch-first output, "[-1]" of a time-first one.
std::string lastStepIndex(bool batchFirst)
{
    return batchFirst ? "[:, -1, :]" : "[-1]";
}

} // namespace

RecurrentLayer::RecurrentLayer(std::string type, std::string help, std::vector<ParamSpec> extraParams)
    : LayerType({ type, type, category::kRecurrent, std::move(help), recurrentParams(std::move(extraParams)) })
{
}

RecurrentSettings RecurrentLayer::readSettings(const ParamReader& params)
{
    RecurrentSettings settings;
    settings.inputSize = params.integer("input_size");
    settings.hiddenSize = params.integer("hidden_size");
    settings.numLayers = params.integer("num_layers");
    settings.bias = params.boolean("bias");
    settings.batchFirst = params.boolean("batch_first");
    settings.dropout = params.real("dropout");
    settings.bidirectional = params.boolean("bidirectional");
    return settings;
}

void RecurrentLayer::inferShape(InferenceContext& context) const
{
    const auto& params = context.params();
    const bool batchFirst = params.boolean("batch_first");
    if (!context.requireRank(0, 3, batchFirst ? "N×T×features" : "T×N×features"))
        return;
    const Shape& input = context.input();
    context.inferFromInput("input_size", input[2], "features per time step");
    const int64_t features = params.integer("hidden_size") * (params.boolean("bidirectional") ? 2 : 1);
    if (params.word("output") == "last")
        context.setOutput(Shape { batchFirst ? input[0] : input[1], features });
    else
        context.setOutput(Shape { input[0], input[1], features });
}

BuiltBlock RecurrentLayer::build(const BuildContext& context) const
{
    Recurrent recurrent = buildRecurrent(readSettings(context.params), context.params);
    const bool last = context.params.word("output") == "last";
    const int64_t timeDim = context.params.boolean("batch_first") ? 1 : 0;
    auto sequence = recurrent.sequence;
    return { recurrent.module, [sequence, last, timeDim](const std::vector<torch::Tensor>& in) {
                torch::Tensor output = sequence(in[0]);
                return last ? output.select(timeDim, -1) : output;
            } };
}

std::optional<PythonCode> RecurrentLayer::pythonCode(
    const BuildContext& context, const std::string& attribute, const std::vector<std::string>& inputs) const
{
    const RecurrentSettings s = readSettings(context.params);
    std::string forward = "self." + attribute + "(" + python::firstInput(inputs) + ")[0]";
    if (context.params.word("output") == "last")
        forward += lastStepIndex(s.batchFirst);
    return PythonCode { "nn." + type() + "(" + std::to_string(s.inputSize) + ", " + std::to_string(s.hiddenSize)
            + ", num_layers=" + std::to_string(s.numLayers) + extraPythonArguments(context.params)
            + ", bias=" + python::boolean(s.bias) + ", batch_first=" + python::boolean(s.batchFirst)
            + ", dropout=" + python::real(s.dropout) + ", bidirectional=" + python::boolean(s.bidirectional) + ")",
        forward };
}

std::optional<std::string> RecurrentLayer::torchScriptBody(const BuildContext& context) const
{
    const RecurrentSettings s = readSettings(context.params);
    const int64_t directions = s.bidirectional ? 2 : 1;
    // The flat weight list in PyTorch's order: per layer and direction w_ih, w_hh, b_ih, b_hh.
    std::vector<std::string> weights;
    for (int64_t layer = 0; layer < s.numLayers; ++layer)
        for (int64_t direction = 0; direction < directions; ++direction) {
            const std::string suffix = "_l" + std::to_string(layer) + (direction ? "_reverse" : "");
            weights.push_back("self.weight_ih" + suffix);
            weights.push_back("self.weight_hh" + suffix);
            if (s.bias) {
                weights.push_back("self.bias_ih" + suffix);
                weights.push_back("self.bias_hh" + suffix);
            }
        }
    const std::string state = hasCellState() ? "[h0, h0]" : "h0";
    std::string body = "h0 = torch.zeros([" + std::to_string(s.numLayers * directions) + ", x0.size("
        + (s.batchFirst ? "0" : "1") + "), " + std::to_string(s.hiddenSize) + "], dtype=x0.dtype, device=x0.device)\n";
    body += "y = torch." + scriptFunction(context.params) + "(x0, " + state + ", [" + python::join(weights, ", ")
        + "], " + python::boolean(s.bias) + ", " + std::to_string(s.numLayers) + ", " + python::real(s.dropout)
        + ", False, " + python::boolean(s.bidirectional) + ", " + python::boolean(s.batchFirst) + ")\n";
    body += "return y[0]";
    if (context.params.word("output") == "last")
        body += lastStepIndex(s.batchFirst);
    return body;
}

namespace {

/// The rows of a gates·hidden × columns matrix (or vector) with its gate blocks in `gateOrder`.
std::vector<float> reorderedGates(const OnnxTensorValues& values, const std::vector<int64_t>& gateOrder)
{
    const size_t gates = gateOrder.size();
    const size_t block = values.floats.size() / gates;
    std::vector<float> result;
    result.reserve(values.floats.size());
    for (int64_t gate : gateOrder) {
        const auto start = values.floats.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(gate) * block);
        result.insert(result.end(), start, start + static_cast<std::ptrdiff_t>(block));
    }
    return result;
}

} // namespace

int64_t RecurrentLayer::multiplyAccumulates(const BuildContext& context) const
{
    const RecurrentSettings s = readSettings(context.params);
    const int64_t directions = s.bidirectional ? 2 : 1;
    // Time steps per sample: the input's values over its features. Time-first input whose first
    // dimension is the batch N runs N steps over a "batch" of T rows: the same products per sample.
    const int64_t steps = context.inputs.at(0).sampleElements() / std::max<int64_t>(s.inputSize, 1);
    int64_t perStep = 0;
    for (int64_t layer = 0; layer < s.numLayers; ++layer) {
        const int64_t layerInput = layer == 0 ? s.inputSize : s.hiddenSize * directions;
        perStep += directions * gateCount() * s.hiddenSize * (layerInput + s.hiddenSize);
    }
    return steps * perStep;
}

bool RecurrentLayer::onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const
{
    const RecurrentSettings s = readSettings(context.params);
    const int64_t directions = s.bidirectional ? 2 : 1;
    const OnnxRecurrent mapping = onnxRecurrent(context.params, directions);
    const int64_t gates = static_cast<int64_t>(mapping.gateOrder.size());
    std::string sequence = onnx.inputs().at(0); // ONNX's recurrent operators read T×N×features
    if (s.batchFirst)
        sequence = onnx.apply("Transpose", { sequence }, "time_first", { { "perm", IntList { 1, 0, 2 } } });
    for (int64_t layer = 0; layer < s.numLayers; ++layer) {
        std::vector<float> w, r, b;
        for (int64_t direction = 0; direction < directions; ++direction) {
            const std::string suffix = "_l" + std::to_string(layer) + (direction ? "_reverse" : "");
            auto append = [&](std::vector<float>& to, const std::string& name) {
                const std::vector<float> values = reorderedGates(onnx.parameterValues(name), mapping.gateOrder);
                to.insert(to.end(), values.begin(), values.end());
            };
            append(w, "weight_ih" + suffix);
            append(r, "weight_hh" + suffix);
            if (s.bias) {
                append(b, "bias_ih" + suffix);
                append(b, "bias_hh" + suffix);
            }
        }
        const int64_t rows = gates * s.hiddenSize;
        const int64_t inputs = layer == 0 ? s.inputSize : s.hiddenSize * directions;
        const std::string layerName = "l" + std::to_string(layer);
        std::vector<std::string> operands { sequence,
            onnx.constant(layerName + "_W", OnnxTensorValues::ofFloats({ directions, rows, inputs }, w)),
            onnx.constant(layerName + "_R", OnnxTensorValues::ofFloats({ directions, rows, s.hiddenSize }, r)) };
        if (s.bias)
            operands.push_back(
                onnx.constant(layerName + "_B", OnnxTensorValues::ofFloats({ directions, 2 * rows }, b)));
        std::vector<OnnxAttribute> attributes { { "hidden_size", s.hiddenSize },
            { "direction", std::string(s.bidirectional ? "bidirectional" : "forward") } };
        attributes.insert(attributes.end(), mapping.attributes.begin(), mapping.attributes.end());
        const std::string y = onnx.apply(mapping.opType, operands, layerName + "_Y", attributes); // T×D×N×H
        const std::string byBatch
            = onnx.apply("Transpose", { y }, layerName + "_by_batch", { { "perm", IntList { 0, 2, 1, 3 } } });
        sequence = onnx.apply("Reshape", { byBatch, onnx.ints("joined_shape", { 0, 0, -1 }) }, layerName + "_output");
    }
    if (context.params.word("output") == "last")
        onnx.node("Gather", { sequence, onnx.constant("last", OnnxTensorValues::ofInts({}, { -1 })) },
            { onnx.output() }, { { "axis", int64_t(0) } });
    else if (s.batchFirst)
        onnx.node("Transpose", { sequence }, { onnx.output() }, { { "perm", IntList { 1, 0, 2 } } });
    else
        onnx.passThrough(sequence);
    return true;
}

} // namespace netdraft::engine
