#include "engine/export/TorchScriptExport.h"

#include "engine/core/Error.h"
#include "engine/io/AtomicFile.h"
#include "engine/export/PythonNames.h"
#include "engine/io/TorchErrorText.h"
#include "engine/io/TensorRecordCheck.h"
#include "engine/io/ZipContainerCheck.h"

#include <sstream>

namespace netdraft::engine {

namespace {

constexpr const char* kMeanBuffer = "netdraft_input_mean";
constexpr const char* kStdBuffer = "netdraft_input_std";

std::string indented(const std::string& body)
{
    std::string result;
    std::istringstream lines(body);
    for (std::string line; std::getline(lines, line);)
        result += "    " + line + "\n";
    return result;
}

/// Copies the parameters and buffers of `from` into `to` under the same names, mirroring child modules.
void copyState(const torch::nn::Module& from, torch::jit::Module& to, const std::string& className)
{
    for (const auto& item : from.named_parameters(false)) {
        torch::Tensor value = item.value().detach().to(torch::kCPU).clone();
        value.set_requires_grad(item.value().requires_grad());
        to.register_parameter(item.key(), value, false);
    }
    for (const auto& item : from.named_buffers(false))
        to.register_buffer(item.key(), item.value().detach().to(torch::kCPU).clone());
    for (const auto& child : from.named_children()) {
        const std::string childClass = className + "__" + child.key();
        torch::jit::Module jitChild(c10::QualifiedName("__torch__.netdraft." + childClass));
        copyState(*child.value(), jitChild, childClass);
        to.register_module(child.key(), jitChild);
    }
}

torch::jit::Module buildBlockModule(const NetworkStep& block, const GraphModelImpl& model, const std::string& body)
{
    const std::string className = "Block_" + block.id();
    torch::jit::Module module(c10::QualifiedName("__torch__.netdraft." + className));
    if (auto source = model.blockModule(block.id()))
        copyState(*source, module, className);
    std::string signature = "def forward(self";
    for (size_t i = 0; i < block.inputSteps.size(); ++i)
        signature += ", x" + std::to_string(i) + ": Tensor";
    const std::string result = block.type->description().variadicOutputs() ? "List[Tensor]" : "Tensor";
    const std::string code = signature + ") -> " + result + ":\n" + indented(body);
    try {
        module.define(code);
    } catch (const std::exception& error) {
        ND_CHECK(false, "block ", block.id(), " (", block.block->type, "): its TorchScript does not compile: ",
                 torchErrorText(error), "\nsource:\n", code);
    }
    return module;
}

/// Mean/std as buffers shaped to broadcast over one sample: C×1×…×1.
void registerNormalization(torch::jit::Module& top, const ExportMetadata& metadata)
{
    const std::vector<int64_t> broadcast = normalizationShape(metadata);
    auto options = torch::TensorOptions().dtype(torch::kFloat64);
    top.register_buffer(kMeanBuffer, torch::tensor(metadata.mean, options).to(torch::kFloat32).reshape(broadcast));
    top.register_buffer(kStdBuffer, torch::tensor(metadata.std, options).to(torch::kFloat32).reshape(broadcast));
}

std::string topLevelForward(const CompiledNetwork& network, const ExportMetadata& metadata, bool fold)
{
    const std::vector<std::string> variables = pythonVariables(network);
    const std::string& input = variables[network.inputStepIndex()];
    std::ostringstream code;
    code << "def forward(self, x: Tensor) -> Tensor:\n";
    if (fold) {
        code.precision(17);
        code << "    " << input << " = (x / " << metadata.inputScale << " - self." << kMeanBuffer
             << ") / self." << kStdBuffer << "\n";
    } else {
        code << "    " << input << " = x\n";
    }
    const auto& steps = network.steps();
    for (size_t s = 0; s < steps.size(); ++s) {
        if (s == network.inputStepIndex() || s == network.outputStepIndex())
            continue;
        // Submodules are called through .forward: a define()d module has no __call__ in LibTorch 1.13.
        code << "    " << variables[s] << " = " << selfAttribute(steps[s].id()) << ".forward(";
        for (size_t i = 0; i < steps[s].inputSteps.size(); ++i)
            code << (i ? ", " : "") << pythonInput(network, variables, steps[s], i);
        code << ")\n";
    }
    code << "    return " << pythonInput(network, variables, network.outputStep(), 0) << "\n";
    return code.str();
}

/// Restores the model's training flag on exit.
class EvalModeGuard {
public:
    explicit EvalModeGuard(GraphModelImpl& model) : model_(model), wasTraining_(model.is_training()) { model_.eval(); }
    ~EvalModeGuard() { model_.train(wasTraining_); }

private:
    GraphModelImpl& model_;
    bool wasTraining_;
};

void verifyOutputs(torch::jit::Module& loaded, GraphModelImpl& model, const ExportMetadata& metadata, bool fold)
{
    std::vector<int64_t> shape{2};
    shape.insert(shape.end(), metadata.inputShape.begin(), metadata.inputShape.end());
    auto generator = at::detail::createCPUGenerator(20240601);
    torch::Tensor raw = metadata.inputDtype == "int64" ? torch::zeros(shape, torch::kInt64)
                                                       : torch::rand(shape, generator) * metadata.inputScale;
    torch::Tensor modelInput = raw;
    if (fold) {
        const torch::Tensor mean = loaded.attr(kMeanBuffer).toTensor();
        const torch::Tensor std = loaded.attr(kStdBuffer).toTensor();
        modelInput = (raw / metadata.inputScale - mean) / std;
    }
    torch::NoGradGuard noGrad;
    EvalModeGuard evalMode(model);
    const auto device = model.parameters().empty() ? torch::Device(torch::kCPU) : model.parameters()[0].device();
    const torch::Tensor expected = model.forward(modelInput.to(device)).to(torch::kCPU);
    const torch::Tensor actual = loaded.forward({raw}).toTensor();
    ND_CHECK(actual.sizes() == expected.sizes(), "the exported TorchScript returns shape ", actual.sizes(),
             ", the model ", expected.sizes());
    const double difference = (actual - expected).abs().max().item<double>();
    const double scale = std::max(1.0, expected.abs().max().item<double>());
    ND_CHECK(difference <= 1e-4 * scale, "the exported TorchScript differs from the model by up to ", difference,
             " on a test input: a layer's TorchScript does not match its LibTorch module");
}

} // namespace

torch::jit::Module buildTorchScriptModule(const CompiledNetwork& network, const GraphModelImpl& model,
                                          const ExportMetadata& metadata, const TorchScriptExportOptions& options)
{
    std::vector<std::pair<const NetworkStep*, std::string>> bodies;
    std::string refused;
    for (const NetworkStep* block : network.layers()) {
        std::optional<std::string> body = block->type->torchScriptBody(block->buildContext());
        if (body)
            bodies.emplace_back(block, *body);
        else
            refused += "\n  block " + block->id() + " (" + block->block->type + ")";
    }
    ND_CHECK(refused.empty(), "cannot export to TorchScript: these layer types have no TorchScript export yet:",
             refused, "\nExport as a state dict or Python code instead.");

    torch::jit::Module top(c10::QualifiedName("__torch__.netdraft.Model"));
    for (const auto& [block, body] : bodies)
        top.register_module(block->id(), buildBlockModule(*block, model, body));
    if (options.foldNormalization) {
        for (const char* name : {kMeanBuffer, kStdBuffer})
            ND_CHECK(!network.graph().findBlock(name), "block id '", name, "' is reserved for the folded normalisation");
        registerNormalization(top, metadata);
    }
    const std::string forward = topLevelForward(network, metadata, options.foldNormalization);
    try {
        top.define(forward);
    } catch (const std::exception& error) {
        ND_CHECK(false, "the exported forward does not compile: ", torchErrorText(error), "\nsource:\n", forward);
    }
    top.eval();
    return top;
}

torch::jit::Module buildTorchScriptModule(const Graph& graph, const GraphModelImpl& model,
                                          const ExportMetadata& metadata, const TorchScriptExportOptions& options)
{
    return buildTorchScriptModule(CompiledNetwork::compile(graph), model, metadata, options);
}

std::string torchScriptArchive(const CompiledNetwork& network, GraphModelImpl& model, const ExportMetadata& metadata,
                               const TorchScriptExportOptions& options)
{
    ExportMetadata written = metadata;
    written.normalizationFolded = options.foldNormalization;
    torch::jit::Module module = buildTorchScriptModule(network, model, written, options);
    std::ostringstream stream;
    try {
        module.save(stream, {{kMetadataFileName, written.toJson()}});
    } catch (const std::exception& error) {
        ND_CHECK(false, "saving the TorchScript module failed: ", torchErrorText(error));
    }
    std::string bytes = stream.str();
    LoadedTorchScript loaded = loadTorchScriptArchive(bytes, "the exported TorchScript");
    if (options.verify)
        verifyOutputs(loaded.module, model, written, options.foldNormalization);
    return bytes;
}

std::string torchScriptArchive(const Graph& graph, GraphModelImpl& model, const ExportMetadata& metadata,
                               const TorchScriptExportOptions& options)
{
    return torchScriptArchive(CompiledNetwork::compile(graph), model, metadata, options);
}

void exportTorchScript(const CompiledNetwork& network, GraphModelImpl& model, const ExportMetadata& metadata,
                       const std::string& path, const TorchScriptExportOptions& options)
{
    writeFileAtomically(path, torchScriptArchive(network, model, metadata, options));
}

void exportTorchScript(const Graph& graph, GraphModelImpl& model, const ExportMetadata& metadata,
                       const std::string& path, const TorchScriptExportOptions& options)
{
    exportTorchScript(CompiledNetwork::compile(graph), model, metadata, path, options);
}

LoadedTorchScript loadTorchScriptArchive(const std::string& bytes, const std::string& sourceName)
{
    checkTensorRecordSizes(bytes, checkPtArchive(bytes, PtArchiveKind::TorchScript, sourceName), sourceName);
    LoadedTorchScript result;
    torch::jit::ExtraFilesMap extra{{kMetadataFileName, ""}};
    try {
        std::istringstream stream(bytes);
        result.module = torch::jit::load(stream, torch::kCPU, extra);
    } catch (const std::exception& error) {
        ND_CHECK(false, sourceName, ": not a loadable TorchScript module: ", torchErrorText(error));
    }
    result.module.eval();
    if (!extra[kMetadataFileName].empty())
        result.metadata = ExportMetadata::fromJson(extra[kMetadataFileName], sourceName + " (extra/netdraft.json)");
    return result;
}

LoadedTorchScript loadTorchScriptFile(const std::string& path)
{
    return loadTorchScriptArchive(readFileLimited(path, kMaxPtFileBytes), path);
}

} // namespace netdraft::engine
