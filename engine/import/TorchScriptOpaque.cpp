#include "engine/import/TorchScriptOpaque.h"

#include "engine/import/TorchScriptOpContext.h"

#include <torch/csrc/jit/runtime/interpreter.h>

#include <sstream>
#include <unordered_map>

namespace netdraft::engine {
namespace {

using torch::jit::Node;
using torch::jit::Value;

std::string argumentName(const Node* node, size_t index)
{
    if (const c10::FunctionSchema* schema = node->maybeSchema(); schema && index < schema->arguments().size())
        return schema->arguments()[index].name();
    return "input " + std::to_string(index + 1);
}

std::string firstLine(const std::string& text)
{
    return text.substr(0, text.find('\n'));
}

} // namespace

UnsupportedOperator describeTorchScriptOperator(
    Node* node, const std::vector<TorchScriptOpaqueInput>& inputs, const std::string& nodeName)
{
    if (node->outputs().empty() || !node->output(0)->type()->isSubtypeOf(*c10::TensorType::get()))
        throw UnmappedOp { "its result is not a tensor" };
    for (size_t i = 1; i < node->outputs().size(); ++i)
        if (node->output(i)->hasUses())
            throw UnmappedOp { "its result " + std::to_string(i + 1) + " is used; an opaque block gives only the first" };
    if (!node->blocks().empty())
        throw UnmappedOp { "it holds blocks of code" };

    UnsupportedOperator result;
    result.format = "TorchScript";
    result.opType = node->kind().toQualString();
    result.nodeName = nodeName;
    // The op alone in a graph of its own: tensors from blocks are its inputs, the rest constants.
    auto graph = std::make_shared<torch::jit::Graph>();
    std::unordered_map<const Value*, Value*> mapped;
    std::vector<const Shape*> tensorShapes;
    std::vector<bool> tokenIds;
    std::string attributes;
    std::string shapes;
    for (size_t i = 0; i < inputs.size(); ++i) {
        const TorchScriptOpaqueInput& input = inputs[i];
        if (input.shape) {
            if (!input.shape->hasBatch())
                throw UnmappedOp { "its input " + std::to_string(i + 1) + " has no batch first" };
            mapped[input.value] = graph->addInput()->setType(c10::TensorType::get());
            tensorShapes.push_back(&*input.shape);
            tokenIds.push_back(input.tokenIds);
            shapes += (shapes.empty() ? "" : ", ") + input.shape->toString();
        } else if (input.known) {
            mapped[input.value] = graph->insertConstant(*input.known);
            std::ostringstream text;
            text << argumentName(node, i) << "=" << *input.known;
            attributes += (attributes.empty() ? "" : "; ") + text.str();
        } else {
            throw UnmappedOp { "its input '" + argumentName(node, i) + "' is computed while running" };
        }
    }
    if (tensorShapes.empty())
        throw UnmappedOp { "it reads no tensor from a block" };
    Node* copy = graph->createClone(
        node, [&](Value* value) { return mapped.at(value); }, /*copy_blocks=*/false);
    graph->insertNode(copy);
    graph->registerOutput(copy->output(0));
    const torch::jit::Code code(graph, "opaque");

    auto outputSizes = [&](int64_t batch) {
        torch::jit::Stack stack;
        for (size_t i = 0; i < tensorShapes.size(); ++i) {
            const std::vector<int64_t> sizes = tensorShapes[i]->withBatch(batch);
            stack.emplace_back(tokenIds[i] ? torch::zeros(sizes, torch::kLong) : torch::randn(sizes));
        }
        try {
            torch::NoGradGuard noGradients;
            torch::jit::InterpreterState(code).run(stack);
        } catch (const std::exception& error) {
            throw UnmappedOp { "running it alone on a sample failed: " + firstLine(error.what()) };
        }
        if (stack.size() != 1 || !stack.back().isTensor())
            throw UnmappedOp { "its result is not a tensor" };
        return stack.back().toTensor().sizes().vec();
    };
    const std::vector<int64_t> two = outputSizes(2);
    const std::vector<int64_t> three = outputSizes(3);
    if (two.size() < 2 || three.size() != two.size() || two[0] != 2 || three[0] != 3
        || !std::equal(two.begin() + 1, two.end(), three.begin() + 1))
        throw UnmappedOp { "its result does not keep the batch first with a sample's shape of its own" };
    result.outputShape.assign(two.begin() + 1, two.end());
    result.attributes = attributes;
    result.inputShapes = shapes;
    return result;
}

} // namespace netdraft::engine
