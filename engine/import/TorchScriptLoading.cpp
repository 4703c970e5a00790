#include "engine/import/TorchScriptLoading.h"

#include "engine/core/BuildInfo.h"
#include "engine/core/Error.h"
#include "engine/io/TensorRecordCheck.h"
#include "engine/io/TorchErrorText.h"
#include "engine/io/ZipContainerCheck.h"

#include <caffe2/serialize/versions.h>
#include <torch/csrc/jit/passes/constant_propagation.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>
#include <torch/csrc/jit/passes/freeze_module.h>

#include <optional>
#include <sstream>

namespace netdraft::engine {

namespace {

using torch::jit::Node;

/// The archive's "version" record, when it is stored as plain digits.
std::optional<uint64_t> archiveVersion(const std::string& bytes, const PtArchiveContents& contents)
{
    for (const char* record : { "version", ".data/version" }) {
        const PtArchiveEntry* entry = contents.find(record);
        if (!entry || entry->deflated || entry->size > 32)
            continue;
        const std::string text = bytes.substr(entry->dataOffset, entry->size);
        try {
            return std::stoull(text);
        } catch (const std::exception&) {
        }
    }
    return std::nullopt;
}

/// Assertions the compiler left in (`if dim != 4: raise`, also with the message formatted first):
/// prim::If without outputs that raises in a branch and does nothing else a later op could see;
/// removed so that the values they test become dead code.
void removeAssertions(torch::jit::Graph& graph)
{
    std::vector<Node*> assertions;
    for (Node* node : graph.nodes()) {
        if (node->kind() != c10::prim::If || !node->outputs().empty())
            continue;
        bool raises = false;
        bool onlyChecks = true;
        for (torch::jit::Block* block : node->blocks())
            for (Node* inner : block->nodes()) {
                const bool raise = inner->kind() == c10::prim::RaiseException;
                raises = raises || raise;
                onlyChecks = onlyChecks && (raise || !inner->hasSideEffects()) && inner->blocks().empty();
            }
        if (raises && onlyChecks)
            assertions.push_back(node);
    }
    for (Node* node : assertions)
        node->destroy();
}

} // namespace

/// "__torch__.torch.nn.modules.conv.___torch_mangle_12.Conv2d" → "Conv2d".
std::string torchClassName(const c10::ClassTypePtr& type)
{
    if (!type || !type->name())
        return {};
    std::string name = type->name()->name();
    const std::string mangle = "___torch_mangle_";
    if (name.rfind(mangle, 0) == 0)
        if (size_t dot = name.find('.'); dot != std::string::npos)
            name = name.substr(dot + 1);
    return name;
}

std::string joinNames(const std::vector<std::string>& parts, const std::string& separator)
{
    std::string text;
    for (size_t i = 0; i < parts.size(); ++i)
        text += (i ? separator : "") + parts[i];
    return text;
}

/// The module path a node was called in: the traced scope ("__module.layer1/__module.layer1.0") or the
/// scripted call stack's module instances; empty when neither says.
std::string calledInModule(Node* node)
{
    if (auto callstack = node->callstack()) {
        std::vector<std::string> names;
        for (c10::optional<torch::jit::InlinedCallStackPtr> frame = *callstack; frame; frame = (*frame)->callee())
            // Calls of the module's own methods (self._forward_impl) are frames named SELF.
            if (auto instance = (*frame)->module_instance(); instance && instance->instance_name() != "SELF")
                names.push_back(instance->instance_name());
        if (!names.empty())
            return joinNames(names, ".");
    }
    if (node->scope() && !node->scope()->isBlank()) {
        std::string names = node->scope()->namesFromRoot();
        if (size_t slash = names.rfind('/'); slash != std::string::npos)
            names = names.substr(slash + 1);
        const std::string prefix = "__module.";
        if (names.rfind(prefix, 0) == 0)
            return names.substr(prefix.size());
    }
    return {};
}

FrozenTorchScript loadFrozenTorchScript(const std::string& bytes, const std::string& sourceName)
{
    const PtArchiveContents contents = checkPtArchive(bytes, PtArchiveKind::TorchScript, sourceName);
    const std::string newer = "; it was written by a newer PyTorch than the LibTorch " + libTorchVersion()
        + " this Netdraft reads it with: save it with an older PyTorch (torch.jit.save) or use a Netdraft built "
          "with a newer LibTorch";
    if (std::optional<uint64_t> version = archiveVersion(bytes, contents))
        ND_CHECK(*version <= caffe2::serialize::kMaxSupportedFileFormatVersion, sourceName, ": file format version ",
            *version, newer);
    checkTensorRecordSizes(bytes, contents, sourceName);
    torch::jit::Module module;
    try {
        std::istringstream stream(bytes);
        module = torch::jit::load(stream, torch::kCPU);
    } catch (const std::exception& error) {
        const std::string text = torchErrorText(error);
        const bool unknown = text.find("Unknown builtin op") != std::string::npos
            || text.find("Unknown type name") != std::string::npos || text.find("version") != std::string::npos;
        ND_CHECK(false, sourceName, ": not a loadable TorchScript module: ", text, unknown ? newer : "");
    }
    std::shared_ptr<torch::jit::Graph> graph;
    torch::jit::Module frozen;
    try {
        module.eval();
        frozen = torch::jit::freeze_module(module, {}, /*freezeInterfaces=*/true, /*preserveParameters=*/true);
        graph = frozen.get_method("forward").graph();
        removeAssertions(*graph);
        torch::jit::ConstantPropagation(graph);
        torch::jit::EliminateDeadCode(graph);
    } catch (const std::exception& error) {
        ND_CHECK(false, sourceName, ": the module's forward cannot be read as one graph: ", torchErrorText(error));
    }
    return { frozen, graph };
}

} // namespace netdraft::engine
