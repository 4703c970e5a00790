#include "engine/export/OnnxGraphWriter.h"

#include "engine/core/Error.h"
#include "engine/io/OnnxProto.h"

#include <map>

namespace netdraft::engine {

namespace {

/// The OnnxBuilder of one block: names its values and nodes after the block id.
class BlockBuilder : public OnnxBuilder {
public:
    BlockBuilder(OnnxGraphWriter& writer, const NetworkStep& step, const std::shared_ptr<torch::nn::Module>& module,
        std::vector<std::string> inputs)
        : writer_(writer)
        , step_(step)
        , module_(module)
        , inputs_(std::move(inputs))
    {
        if (step.type->description().variadicOutputs())
            for (const std::string& port : step.type->description().outputPorts(step.info->params))
                outputs_.push_back(writer.uniqueName(step.id() + "/" + port));
        else
            outputs_.push_back(writer.uniqueName(step.id()));
        result_ = outputs_.front();
    }

    const std::vector<std::string>& inputs() const override { return inputs_; }
    const std::string& output() const override { return outputs_.front(); }
    const std::vector<std::string>& outputs() const override { return outputs_; }
    void passThrough(const std::string& value) override { result_ = value; }
    std::string temporary(const std::string& hint) override { return writer_.uniqueName(step_.id() + "/" + hint); }

    void node(const std::string& opType, const std::vector<std::string>& inputs,
        const std::vector<std::string>& outputs, const std::vector<OnnxAttribute>& attributes) override
    {
        onnx::NodeProto& node = *writer_.graph().add_node();
        node.set_name(step_.id() + "/" + opType + "_" + std::to_string(++nodes_));
        node.set_op_type(opType);
        for (const std::string& input : inputs)
            node.add_input(input);
        for (const std::string& output : outputs)
            node.add_output(output);
        for (const OnnxAttribute& attribute : attributes)
            onnxproto::addAttribute(node, attribute);
    }

    std::string parameter(const std::string& name) override
    {
        if (auto added = parameters_.find(name); added != parameters_.end())
            return added->second;
        const std::string initializer = writer_.uniqueName(step_.id() + "." + name);
        writer_.addInitializer(initializer, parameterValues(name));
        parameters_[name] = initializer;
        return initializer;
    }

    OnnxTensorValues parameterValues(const std::string& name) const override
    {
        return onnxTensorValues(tensor(name));
    }

    std::vector<int64_t> parameterDims(const std::string& name) const override { return tensor(name).sizes().vec(); }

    std::string constant(const std::string& hint, const OnnxTensorValues& values) override
    {
        const std::string initializer = writer_.uniqueName(step_.id() + "." + hint);
        writer_.addInitializer(initializer, values);
        return initializer;
    }

    /// The block's results, one per output: outputs(), or the passed-through value.
    std::vector<std::string> results() const
    {
        std::vector<std::string> results = outputs_;
        results.front() = result_;
        return results;
    }

private:
    /// The module's parameter or buffer `name`; recursive: the attention layers name the parameters of
    /// their parts ("self_attn.in_proj_weight").
    torch::Tensor tensor(const std::string& name) const
    {
        ND_CHECK(module_, "block ", step_.id(), " (", step_.block->type,
            ") has no parameters, but its ONNX export asks for ", name);
        for (const auto& item : module_->named_parameters())
            if (item.key() == name)
                return item.value();
        for (const auto& item : module_->named_buffers())
            if (item.key() == name)
                return item.value();
        ND_CHECK(false, "block ", step_.id(), " (", step_.block->type, ") has no parameter or buffer ", name);
        return {};
    }

    OnnxGraphWriter& writer_;
    const NetworkStep& step_;
    const std::shared_ptr<torch::nn::Module>& module_;
    std::vector<std::string> inputs_;
    std::vector<std::string> outputs_;
    std::string result_;
    int nodes_ = 0;
    std::map<std::string, std::string> parameters_; ///< parameter name → its initializer
};

} // namespace

std::string OnnxGraphWriter::uniqueName(const std::string& wanted)
{
    std::string name = wanted;
    for (int suffix = 1; names_.count(name); ++suffix)
        name = wanted + "_" + std::to_string(suffix);
    names_.insert(name);
    return name;
}

void OnnxGraphWriter::addInitializer(const std::string& name, const OnnxTensorValues& values)
{
    *graph_.add_initializer() = onnxproto::tensorProto(name, values);
}

std::optional<std::vector<std::string>> OnnxGraphWriter::writeBlock(
    const NetworkStep& step, const std::shared_ptr<torch::nn::Module>& module, const std::vector<std::string>& inputs)
{
    BlockBuilder builder(*this, step, module, inputs);
    if (!step.type->onnxNodes(step.buildContext(), builder))
        return std::nullopt;
    return builder.results();
}

void OnnxGraphWriter::renameValue(const std::string& from, const std::string& to)
{
    for (onnx::NodeProto& node : *graph_.mutable_node()) {
        for (std::string& input : *node.mutable_input())
            if (input == from)
                input = to;
        for (std::string& output : *node.mutable_output())
            if (output == from)
                output = to;
    }
}

OnnxTensorValues onnxTensorValues(const torch::Tensor& tensor)
{
    const torch::Tensor values = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    std::vector<int64_t> dims(values.sizes().begin(), values.sizes().end());
    const float* data = values.data_ptr<float>();
    return OnnxTensorValues::ofFloats(std::move(dims), std::vector<float>(data, data + values.numel()));
}

} // namespace netdraft::engine
