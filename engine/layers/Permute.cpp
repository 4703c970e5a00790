// Permute: reorders the dimensions of each sample, e.g. N×C×H×W into N×H×W×C.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class PermuteLayer : public LayerType {
public:
    PermuteLayer()
        : LayerType({ "Permute", "Permute", category::kReshape,
            "Reorders the dimensions of each sample, e.g. channels last: N×C×H×W into N×H×W×C with dims "
            "[2, 3, 1]. Dimensions are numbered as in PyTorch, the batch being 0; the batch stays first, so "
            "dims lists every other dimension once (a leading 0 may be written, as in x.permute(0, 2, 3, 1)).",
            { ParamSpec::intList("dims", { 2, 1 })
                    .onBlock()
                    .help("New order of the dimensions after the batch, e.g. [2, 3, 1]; negative values count from "
                          "the end.") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        const Shape& input = context.input();
        const auto order = permutation(context.params().list("dims"), input.rank());
        if (!order.empty() && order.front() < 0) {
            context.error(problem(context.params().list("dims"), input));
            return;
        }
        std::vector<int64_t> dims;
        for (int64_t dim : order)
            dims.push_back(input[dim]);
        context.setOutput(Shape(dims));
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const IntList order = permutation(context.params.list("dims"), context.inputs.at(0).rank());
        return { nullptr, [order](const std::vector<torch::Tensor>& in) { return in[0].permute(order); } };
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        const std::string list = python::list(permutation(context.params.list("dims"), context.inputs.at(0).rank()));
        return PythonCode { {},
            python::operand(python::firstInput(inputs)) + ".permute(" + list.substr(1, list.size() - 2) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        return "return x0.permute("
            + python::list(permutation(context.params.list("dims"), context.inputs.at(0).rank())) + ")";
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        onnx.node("Transpose", { onnx.inputs().at(0) }, { onnx.output() },
            { { "perm", permutation(context.params.list("dims"), context.inputs.at(0).rank()) } });
        return true;
    }

private:
    /// The full permutation, batch first, from `dims`; { -1 } when dims is not a permutation of the
    /// dimensions after the batch.
    static IntList permutation(IntList dims, int64_t rank)
    {
        if (static_cast<int64_t>(dims.size()) == rank && !dims.empty() && dims.front() == 0)
            dims.erase(dims.begin()); // written with the batch, as in x.permute(0, 2, 1)
        IntList order { 0 };
        std::vector<bool> seen(static_cast<size_t>(rank), false);
        if (static_cast<int64_t>(dims.size()) != rank - 1)
            return { -1 };
        for (int64_t dim : dims) {
            const int64_t resolved = dim < 0 ? dim + rank : dim;
            if (resolved < 1 || resolved >= rank || seen[static_cast<size_t>(resolved)])
                return { -1 };
            seen[static_cast<size_t>(resolved)] = true;
            order.push_back(resolved);
        }
        return order;
    }

    /// Why `dims` is not a permutation of the dimensions after the batch of `input`.
    static std::string problem(IntList dims, const Shape& input)
    {
        const int64_t rank = input.rank();
        const std::string shown = python::list(dims);
        const std::string expected = "list each of 1 … " + std::to_string(rank - 1) + " once";
        if (static_cast<int64_t>(dims.size()) == rank && !dims.empty() && dims.front() == 0)
            dims.erase(dims.begin());
        if (static_cast<int64_t>(dims.size()) != rank - 1)
            return "dims " + shown + " has " + std::to_string(dims.size()) + " entries but the input " + input.toString()
                + " has " + std::to_string(rank - 1) + " dimensions after the batch; " + expected;
        std::vector<bool> seen(static_cast<size_t>(rank), false);
        for (int64_t dim : dims) {
            const int64_t resolved = dim < 0 ? dim + rank : dim;
            if (resolved == 0)
                return "dims " + shown + " moves the batch dimension of " + input.toString() + "; " + expected;
            if (resolved < 0 || resolved >= rank)
                return "dims " + shown + ": " + std::to_string(dim) + " is out of range for " + input.toString() + "; "
                    + expected;
            if (seen[static_cast<size_t>(resolved)])
                return "dims " + shown + " repeats dimension " + std::to_string(resolved) + " of " + input.toString()
                    + "; " + expected;
            seen[static_cast<size_t>(resolved)] = true;
        }
        return "dims " + shown + " is not a permutation; " + expected;
    }
};

NETDRAFT_REGISTER_LAYER(PermuteLayer);

} // namespace
} // namespace netdraft::engine
