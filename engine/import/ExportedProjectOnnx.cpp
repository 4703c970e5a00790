// The project inside an ONNX model that Netdraft exported: metadata_props "netdraft.json" holds it,
// and the initializers hold the blocks' tensors as "<expanded id>.<name>" (OnnxBuilder::parameter), or
// reshaped under that name (per-channel vectors shaped to broadcast). The recurrent layers write their
// gates reordered under other names; those are read back through the ONNX import's own mapping of
// the block's nodes, which undoes the reordering, when it gives the block's layer type.

#include "engine/core/Error.h"
#include "engine/export/OnnxExport.h"
#include "engine/import/ExportedProject.h"
#include "engine/import/OnnxImport.h"
#include "engine/import/OnnxModules.h"
#include "engine/io/OnnxProto.h"
#include "engine/network/CompiledNetwork.h"

#include <map>

namespace netdraft::engine {

namespace {

torch::Tensor toTensor(const OnnxTensorValues& values)
{
    if (values.isInt64)
        return torch::tensor(values.ints, torch::kInt64).reshape(values.dims);
    return torch::tensor(values.floats, torch::kFloat32).reshape(values.dims);
}

/// The tensors the ONNX import maps each block's nodes to, by module path and layer type; built once,
/// only when a tensor is not found by name.
class ImportedBlockTensors {
public:
    ImportedBlockTensors(const std::string& bytes, const std::string& sourceName)
        : bytes_(bytes)
        , sourceName_(sourceName)
    {
    }

    std::optional<torch::Tensor> find(const NetworkStep& block, const std::string& name)
    {
        if (!read_) {
            read_ = true;
            try {
                std::vector<std::string> notes;
                network_ = readOnnxNetwork(bytes_, sourceName_, {}, notes, /*keepUnsupported=*/true);
            } catch (const std::exception&) {
                // Then only the tensors found by name are restored; the others are listed as missing.
            }
        }
        const std::string path = onnxModulePath(block.id() + "/op");
        for (const ImportedOp& op : network_.ops) {
            if (op.modulePath != path || op.layerType != block.block->type)
                continue;
            for (const auto& [tensorName, tensor] : op.weights)
                if (tensorName == name)
                    return tensor;
        }
        return std::nullopt;
    }

private:
    const std::string& bytes_;
    const std::string& sourceName_;
    bool read_ = false;
    ImportedNetwork network_;
};

std::optional<ExportMetadata> metadataInside(const onnx::ModelProto& model, const std::string& sourceName)
{
    for (const auto& property : model.metadata_props())
        if (property.key() == kOnnxMetadataKey)
            return readExportMetadata(property.value(), sourceName + " (metadata " + kOnnxMetadataKey + ")");
    return std::nullopt;
}

} // namespace

std::optional<ExportMetadata> onnxExportMetadata(const std::string& bytes, const std::string& sourceName)
{
    if (!mayHoldExportMetadata(bytes, kOnnxMetadataKey))
        return std::nullopt;
    return metadataInside(onnxproto::parseModel(bytes, sourceName), sourceName);
}

std::optional<RestoredProject> restoreOnnxExport(
    const std::string& bytes, const std::string& sourceName, std::vector<std::string>& notes)
{
    if (!mayHoldExportMetadata(bytes, kOnnxMetadataKey))
        return std::nullopt;
    const onnx::ModelProto model = onnxproto::parseModel(bytes, sourceName);
    const std::optional<ExportMetadata> metadata = metadataInside(model, sourceName);
    std::optional<Project> project = projectInside(metadata, sourceName, notes);
    if (!project)
        return std::nullopt;
    std::map<std::string, const onnx::TensorProto*> initializers;
    for (const onnx::TensorProto& tensor : model.graph().initializer())
        initializers[tensor.name()] = &tensor;
    ImportedBlockTensors imported(bytes, sourceName);
    std::vector<std::string> missing;
    RestoredProject restored = restoreProject(std::move(*project), *metadata, sourceName,
        [&](const NetworkStep& block, const std::string& name, const torch::Tensor& current)
            -> std::optional<torch::Tensor> {
            const auto found = initializers.find(block.id() + "." + name);
            if (found != initializers.end()) {
                const torch::Tensor tensor = toTensor(onnxproto::tensorValues(*found->second, sourceName));
                // Per-channel vectors go out shaped C×1×1 to broadcast: the same values in the same order.
                if (tensor.numel() == current.numel())
                    return tensor.reshape(current.sizes());
            }
            return imported.find(block, name);
        },
        missing);
    if (!missing.empty()) {
        std::string list;
        for (const std::string& item : missing)
            list += (list.empty() ? "" : ", ") + item;
        notes.push_back("the ONNX file does not hold these tensors in a form Netdraft reads back, so they keep the "
                        "project's seeded initial values: " + list);
    }
    return restored;
}

} // namespace netdraft::engine
