#include "engine/export/PythonModelExport.h"

#include "engine/core/Error.h"
#include "engine/export/PythonNames.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

namespace netdraft::engine {

namespace {

template <typename Number>
std::string pythonList(const std::vector<Number>& values)
{
    return nlohmann::json(values).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string pythonTuple(const std::vector<int64_t>& values)
{
    std::string text = "(";
    for (size_t i = 0; i < values.size(); ++i)
        text += (i ? ", " : "") + std::to_string(values[i]);
    return text + (values.size() == 1 ? ",)" : ")");
}

std::string joined(const std::vector<int64_t>& values, const char* separator)
{
    std::string text;
    for (size_t i = 0; i < values.size(); ++i)
        text += (i ? separator : "") + std::to_string(values[i]);
    return text;
}

/// Keyword attributes (a block called "if") cannot be written as self.if; read them with getattr.
std::string withKeywordAttribute(std::string expression, const std::string& attribute)
{
    if (!isPythonKeyword(attribute))
        return expression;
    const std::string plain = "self." + attribute;
    for (size_t at = expression.find(plain); at != std::string::npos; at = expression.find(plain, at)) {
        expression.replace(at, plain.size(), selfAttribute(attribute));
        at += selfAttribute(attribute).size();
    }
    return expression;
}

std::string docstring(const ExportMetadata& metadata)
{
    std::string name = metadata.projectName.empty() ? "Netdraft model" : metadata.projectName;
    for (size_t at = name.find("\"\"\""); at != std::string::npos; at = name.find("\"\"\""))
        name.replace(at, 3, "'''");
    std::ostringstream out;
    out << "\"\"\"" << name << ": PyTorch code exported by Netdraft " << metadata.netdraftVersion << ".\n\n"
        << "Input: " << metadata.inputDtype << " tensor N×" << joined(metadata.inputShape, "×") << ".\n";
    if (metadata.inputScale != 1.0 || !metadata.mean.empty())
        out << "Prepare raw inputs with preprocess(): divide by INPUT_SCALE, then subtract MEAN and divide by STD\n"
            << "per channel (the first dimension of a sample).\n";
    if (!metadata.classNames.empty()) {
        out << "Output: N×" << metadata.classNames.size() << " class scores (logits) for the classes\n   ";
        for (size_t i = 0; i < metadata.classNames.size(); ++i)
            out << (i ? ", " : " ") << i << " " << metadata.classNames[i];
        out << ".\n";
    } else {
        out << "Output: the " << metadata.task << " output of the network.\n";
    }
    if (!metadata.vocabulary.empty())
        out << "Token ids index VOCABULARY (" << metadata.vocabulary.size() << " " << metadata.textUnit
            << "; 0 pads, 1 is unknown); decode() turns ids back into text.\n";
    out << "\nWeights: load_model() reads the state dict exported next to this file with\n"
        << "load_state_dict(strict=True).\n\"\"\"\n";
    return out.str();
}

} // namespace

std::string pythonStringLiteral(const std::string& text)
{
    return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string pythonModelSource(const Graph& graph, const ExportMetadata& metadata, const std::string& weightsFile)
{
    return pythonModelSource(CompiledNetwork::compile(graph), metadata, weightsFile);
}

std::string pythonModelSource(const CompiledNetwork& network, const ExportMetadata& metadata, const std::string& weightsFile)
{
    const std::vector<std::string> variables = pythonVariables(network);
    std::string refused;
    std::ostringstream init;
    std::ostringstream forward;
    std::vector<std::string> definitions;
    forward << "        " << variables[network.inputStepIndex()] << " = x\n";
    const auto& steps = network.steps();
    for (size_t s = 0; s < steps.size(); ++s) {
        if (s == network.inputStepIndex() || s == network.outputStepIndex())
            continue;
        const NetworkStep& block = steps[s];
        std::vector<std::string> inputs;
        for (size_t port = 0; port < block.inputSteps.size(); ++port)
            inputs.push_back(pythonInput(network, variables, block, port));
        std::optional<PythonCode> code = block.type->pythonCode(block.buildContext(), block.id(), inputs);
        if (!code) {
            refused += "\n  block " + block.id() + " (" + block.block->type + ")";
            continue;
        }
        if (!code->definitions.empty()
            && std::find(definitions.begin(), definitions.end(), code->definitions) == definitions.end())
            definitions.push_back(code->definitions);
        if (!code->constructor.empty()) {
            if (isPythonKeyword(block.id()))
                init << "        self.add_module(" << pythonStringLiteral(block.id()) << ", " << code->constructor << ")\n";
            else
                init << "        self." << block.id() << " = " << code->constructor << "\n";
        }
        forward << "        " << variables[s] << " = " << withKeywordAttribute(code->forward, block.id()) << "\n";
    }
    ND_CHECK(refused.empty(), "cannot export as PyTorch code: these layer types have no Python export yet:", refused);
    forward << "        return " << pythonInput(network, variables, network.outputStep(), 0) << "\n";

    std::ostringstream out;
    out.precision(17);
    out << docstring(metadata) << "\nimport torch\nfrom torch import nn\nimport torch.nn.functional as F\n\n"
        << "INPUT_SHAPE = " << pythonTuple(metadata.inputShape) << "\n"
        << "INPUT_DTYPE = torch." << (metadata.inputDtype == "int64" ? "int64" : "float32") << "\n"
        << "INPUT_SCALE = " << metadata.inputScale << "\n"
        << "MEAN = " << pythonList(metadata.mean) << "\n"
        << "STD = " << pythonList(metadata.std) << "\n"
        << "CLASS_NAMES = " << nlohmann::json(metadata.classNames).dump() << "\n"
        << "VOCABULARY = " << nlohmann::json(metadata.vocabulary).dump() << "\n"
        << "TEXT_UNIT = " << pythonStringLiteral(metadata.textUnit) << "\n"
        << "WEIGHTS_FILE = " << pythonStringLiteral(weightsFile) << "\n\n\n";
    for (const std::string& definition : definitions)
        out << definition << (definition.back() == '\n' ? "" : "\n") << "\n\n";
    out << "class Net(nn.Module):\n"
        << "    def __init__(self):\n        super().__init__()\n"
        << init.str() << "\n"
        << "    def forward(self, x):\n" << forward.str() << "\n\n"
        << "def preprocess(raw):\n"
        << "    \"\"\"Raw samples (N×" << joined(metadata.inputShape, "×") << ") to network inputs.\"\"\"\n"
        << "    if INPUT_DTYPE == torch.int64:\n        return raw.long()\n"
        << "    x = raw.float() / INPUT_SCALE\n"
        << "    if MEAN:\n"
        << "        shape = [len(MEAN)] + [1] * (len(INPUT_SHAPE) - 1)\n"
        << "        x = (x - torch.tensor(MEAN).reshape(shape)) / torch.tensor(STD).reshape(shape)\n"
        << "    return x\n\n\n";
    if (!metadata.vocabulary.empty())
        out << "def decode(ids):\n"
            << "    \"\"\"Token ids (a list or 1-D tensor) as text by VOCABULARY; padding (0) writes nothing.\"\"\"\n"
            << "    ids = ids.tolist() if hasattr(ids, \"tolist\") else ids\n"
            << "    separator = \" \" if TEXT_UNIT == \"words\" else \"\"\n"
            << "    return separator.join(VOCABULARY[i] for i in ids if i != 0)\n\n\n";
    out << "def load_model(weights_path=None, map_location=\"cpu\"):\n"
        << "    \"\"\"Net with the exported weights (default: WEIGHTS_FILE next to this file), in eval mode.\"\"\"\n"
        << "    import os\n"
        << "    if weights_path is None:\n"
        << "        weights_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), WEIGHTS_FILE)\n"
        << "    model = Net()\n"
        << "    model.load_state_dict(torch.load(weights_path, map_location=map_location), strict=True)\n"
        << "    return model.eval()\n\n\n"
        << "if __name__ == \"__main__\":\n"
        << "    model = load_model()\n"
        << "    sample = torch.zeros((1,) + INPUT_SHAPE, dtype=INPUT_DTYPE)\n"
        << "    print(model)\n"
        << "    print(\"output shape:\", tuple(model(sample).shape))\n";
    return out.str();
}

} // namespace netdraft::engine
