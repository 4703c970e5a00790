// MatMul: matrix product of its two inputs over their last two dimensions, as torch.matmul.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class MatMulLayer : public LayerType {
public:
    MatMulLayer()
        : LayerType({ "MatMul", "Matrix Product", category::kArithmetic,
            "Multiplies the matrices in the last two dimensions of its inputs, as torch.matmul: "
            "N×…×n×k times N×…×k×m gives N×…×n×m, e.g. attention scores from queries and transposed keys. "
            "Both inputs need the same rank, at least 3; the dimensions between the batch and the matrices "
            "broadcast (equal, or 1 on one side).",
            {}, { "in1", "in2" } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        const Shape& a = context.input(0);
        const Shape& b = context.input(1);
        if (a.rank() < 3 || a.rank() != b.rank()) {
            context.error("MatMul needs two inputs of the same rank, at least 3 (N×n×k and N×k×m): in1 is "
                + a.toString() + " and in2 is " + b.toString());
            return;
        }
        const int64_t rank = a.rank();
        if (a[rank - 1] != b[rank - 2]) {
            context.error("MatMul needs in1's last size to equal in2's second-to-last: in1 is " + a.toString()
                + " and in2 is " + b.toString() + " (" + std::to_string(a[rank - 1]) + " ≠ "
                + std::to_string(b[rank - 2]) + ")");
            return;
        }
        std::vector<int64_t> dims = a.dims();
        for (int64_t i = 1; i < rank - 2; ++i) {
            if (a[i] == b[i] || b[i] == 1)
                continue;
            if (a[i] != 1) {
                context.error("MatMul cannot broadcast in1 " + a.toString() + " with in2 " + b.toString()
                    + ": dimension " + std::to_string(i) + " is " + std::to_string(a[i]) + " vs "
                    + std::to_string(b[i]) + " (sizes must be equal, or one of them 1)");
                return;
            }
            dims[static_cast<size_t>(i)] = b[i];
        }
        dims.back() = b[rank - 1];
        context.setOutput(Shape(dims));
    }

    BuiltBlock build(const BuildContext&) const override
    {
        return { nullptr, [](const std::vector<torch::Tensor>& in) { return torch::matmul(in[0], in[1]); } };
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext&, const std::string&, const std::vector<std::string>& inputs) const override
    {
        return PythonCode { {}, "torch.matmul(" + inputs.at(0) + ", " + inputs.at(1) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext&) const override
    {
        return "return torch.matmul(x0, x1)";
    }

    /// Every product counts (n·k·m per matrix), as torch.utils.flop_counter and fvcore count the
    /// matrix products of attention, though they multiply activations rather than weights.
    int64_t multiplyAccumulates(const BuildContext& context) const override
    {
        const Shape& a = context.inputs.at(0);
        const Shape& output = context.output;
        return output.sampleElements() * a.back();
    }

    bool onnxNodes(const BuildContext&, OnnxBuilder& onnx) const override
    {
        onnx.node("MatMul", onnx.inputs(), { onnx.output() });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(MatMulLayer);

} // namespace
} // namespace netdraft::engine
