// `netdraft-cli layers`: the layer reference (every layer type with its ports and parameters) as
// Markdown, drawn from the catalogue. docs/LAYERS.md is its output; a test keeps the two equal.

#include "app/cli/Command.h"
#include "engine/layers/LayerRegistry.h"

#include <iostream>
#include <sstream>

namespace netdraft::app {
namespace {

using namespace netdraft::engine;

/// Table cells may not hold '|' or line breaks.
std::string cell(std::string text)
{
    std::string escaped;
    for (char c : text) {
        if (c == '|')
            escaped += "\\|";
        else if (c == '\n')
            escaped += ' ';
        else
            escaped += c;
    }
    return escaped;
}

std::string join(const std::vector<std::string>& words, const char* separator)
{
    std::string text;
    for (const std::string& word : words)
        text += (text.empty() ? "" : separator) + word;
    return text;
}

std::string range(const ParamSpec& spec)
{
    std::ostringstream text;
    if (!spec.choices.empty())
        text << (spec.kind == ParamKind::Choice ? "" : "or ") << join(spec.choices, ", ");
    if (spec.minimum && spec.maximum)
        text << *spec.minimum << " … " << *spec.maximum;
    else if (spec.minimum)
        text << "≥ " << *spec.minimum;
    else if (spec.maximum)
        text << "≤ " << *spec.maximum;
    return text.str();
}

void writeLayer(std::ostream& out, const LayerDescription& layer)
{
    out << "### " << layer.displayName << " (`" << layer.type << "`)\n\n" << layer.help << "\n\n";
    std::string inputs = layer.variadicInputs ? "in1 … inN (num_inputs)" : join(layer.inputs, ", ");
    for (const ConditionalInput& conditional : layer.conditionalInputs)
        inputs += ", " + conditional.port + " (while " + conditional.param + " is "
            + (conditional.whenOn ? "on" : "off") + ")";
    out << "Inputs: " << (inputs.empty() ? "none" : inputs)
        << ". Outputs: "
        << (layer.variadicOutputs() ? "out1 … outN (one per " + layer.outputCountParam + ")"
                : layer.outputs.empty() ? "none"
                                        : join(layer.outputs, ", "))
        << ".\n\n";
    if (layer.params.empty())
        return;
    out << "| parameter | kind | default | allowed | meaning |\n| --- | --- | --- | --- | --- |\n";
    for (const ParamSpec& spec : layer.params) {
        out << "| `" << spec.name << "`" << (spec.advanced ? " (advanced)" : "") << " | "
            << cell(describeKind(spec.kind, spec.tupleSize)) << " | "
            << cell(spec.inferred ? "inferred" : formatParamValue(spec.defaultValue)) << " | " << cell(range(spec))
            << " | " << cell(spec.helpText) << " |\n";
    }
    out << "\n";
}

class LayersCommand : public Command {
public:
    const char* name() const override { return "layers"; }
    const char* summary() const override { return "Print the layer reference (every layer type) as Markdown"; }
    void addOptions(CLI::App&) override { }

    int run() override
    {
        std::cout << "# Netdraft layer reference\n\n"
                     "Generated from the layer catalogue by `netdraft-cli layers`; do not edit by hand.\n"
                     "Parameters marked *inferred* are filled from the incoming shape unless set; advanced ones\n"
                     "are hidden in the inspector until advanced settings are shown.\n";
        std::string category;
        for (const LayerType* type : LayerRegistry::instance().all()) {
            const LayerDescription& layer = type->description();
            if (layer.category != category) {
                category = layer.category;
                std::cout << "\n## " << category << "\n\n";
            }
            writeLayer(std::cout, layer);
        }
        return kExitOk;
    }
};

NETDRAFT_REGISTER_COMMAND(LayersCommand);

} // namespace
} // namespace netdraft::app
