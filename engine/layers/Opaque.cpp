// Opaque: an operator of an imported model that no Netdraft block computes, kept as a placeholder
// (netdraft-cli import --keep-unsupported). It records the operator and the shapes the file gave it,
// passes shape inference with the recorded output shape so that the rest of the graph can be edited,
// and refuses to run or export with a message naming the node and the operator.

#include "engine/core/Error.h"
#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"

namespace netdraft::engine {
namespace {

/// Not one of the palette's categories: the canvas draws unknown categories grey.
constexpr const char* kUnsupportedCategory = "Unsupported";

std::string refusal(const ParamReader& params)
{
    const std::string& node = params.word("node_name");
    const std::string& op = params.word("op_type");
    return "block '" + (node.empty() ? std::string("(unnamed)") : node) + "' is an unsupported " + params.word("format")
        + " op '" + (op.empty() ? std::string("?") : op) + "': replace it before training";
}

class OpaqueLayer : public LayerType {
public:
    OpaqueLayer()
        : LayerType({ "Opaque", "Unsupported op", kUnsupportedCategory,
            "An operator of an imported model that no Netdraft block computes (netdraft-cli import "
            "--keep-unsupported). It keeps the operator's type, node name, attributes and shapes, and "
            "gives the output shape the file recorded, so the rest of the graph can be edited around it; "
            "training and export stop with a message naming it until it is replaced by real blocks.",
            { ParamSpec::text("op_type", "")
                    .onBlock()
                    .help("The operator type in the imported file (NonMaxSuppression)."),
                ParamSpec::text("format", "ONNX").isAdvanced().help("The file format the operator comes from."),
                ParamSpec::text("node_name", "").help("The node's name in the imported file."),
                ParamSpec::text("attributes", "").help("The node's attributes and constant inputs, as text."),
                ParamSpec::text("input_shapes", "")
                    .help("The shapes of the node's inputs in the file (N is the batch), for reference."),
                ParamSpec::intList("output_shape", {})
                    .help("One sample's output shape (without the batch dimension), as the file recorded it."),
                ParamSpec::integer("num_inputs", 1)
                    .min(1)
                    .max(64)
                    .help("Number of data input ports (in1, in2, ...).") },
            { "in" }, /*variadicInputs=*/true })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        const IntList shape = context.params().list("output_shape");
        if (shape.empty()) {
            context.error("no output shape is recorded for this unsupported op; give output_shape");
            return;
        }
        for (int64_t size : shape)
            if (size < 1) {
                context.error("output_shape sizes must be at least 1");
                return;
            }
        context.setOutput(Shape::batched(shape));
        // Listed with the design's errors (canvas, Problems, validate, Train refused) while the blocks
        // after it keep their shapes.
        const std::string& node = context.params().word("node_name");
        context.cannotRun("is an unsupported " + context.params().word("format") + " op '"
            + context.params().word("op_type") + "'" + (node.empty() ? std::string() : " (node '" + node + "')")
            + ": replace it before training");
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        // No module: parameter counts and the import's weight check see an empty block. Running it
        // (training, evaluation) stops with the message.
        BuiltBlock built;
        built.forward = [message = refusal(context.params)](
                            const std::vector<torch::Tensor>&) -> torch::Tensor { throw Error(message); };
        return built;
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>&) const override
    {
        throw Error(refusal(context.params));
    }
    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        throw Error(refusal(context.params));
    }
    bool onnxNodes(const BuildContext& context, OnnxBuilder&) const override { throw Error(refusal(context.params)); }
};

NETDRAFT_REGISTER_LAYER(OpaqueLayer);

} // namespace
} // namespace netdraft::engine
