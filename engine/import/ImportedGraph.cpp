#include "engine/import/ImportedGraph.h"

#include "engine/core/Error.h"
#include "engine/graph/CompositeExpansion.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/model/GraphModel.h"
#include "engine/network/CompiledNetwork.h"
#include "engine/train/WeightsImport.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <set>

namespace netdraft::engine {

namespace {

constexpr size_t kMaxImportedIdLength = 64;
/// Half of an expanded id "instance__inner" each, so that expanded ids stay valid too.
constexpr size_t kMaxImportedPartLength = 30;

const LayerDescription& importedLayer(const std::string& type)
{
    const LayerType* layer = LayerRegistry::instance().find(type);
    ND_CHECK(layer, "import: no layer type '", type, "'");
    return layer->description();
}

/// The op's parameters with every default filled in (port lists depend on them).
ParamMap fullParams(const ImportedOp& op)
{
    ParamMap params = importedLayer(op.layerType).defaultParams();
    for (const auto& [name, value] : op.params)
        params[name] = value;
    return params;
}

std::string lowercaseName(std::string text)
{
    for (char& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

/// The id of an op without a module path: its layer type, or an opaque block's operator ("cumsum").
std::string fallbackId(const ImportedOp& op)
{
    auto opType = op.params.find("op_type");
    if (op.layerType == "Opaque" && opType != op.params.end())
        if (const auto* name = std::get_if<std::string>(&opType->second); name && !name->empty())
            return blockIdFromPath(lowercaseName(name->rfind("aten::", 0) == 0 ? name->substr(6) : *name), "opaque"); // "com.microsoft::Foo" → "com_microsoft__foo"
    return lowercaseName(op.layerType);
}

/// `base`, or base2, base3, … when `taken` says it is in use.
std::string freeImportId(const std::string& base, const std::function<bool(const std::string&)>& taken)
{
    if (!taken(base))
        return base;
    for (int n = 2;; ++n) {
        std::string suffix = std::to_string(n);
        std::string candidate = base.substr(0, kMaxImportedIdLength - suffix.size()) + suffix;
        if (!taken(candidate))
            return candidate;
    }
}

bool isContainerModule(const std::string& type)
{
    return type == "Sequential" || type == "ModuleList" || type == "ModuleDict";
}

bool isInModule(const std::string& path, const std::string& module)
{
    return path == module
        || (path.size() > module.size() && path.compare(0, module.size(), module) == 0 && path[module.size()] == '.');
}

/// Builds the project graph from the ops: which ops form composite instances, their definitions,
/// ids and connections.
class GraphAssembler {
public:
    GraphAssembler(const ImportedNetwork& network, const ImportGraphOptions& options)
        : network_(network)
        , groupOf_(network.ops.size(), -1)
        , innerIds_(network.ops.size())
        , consumers_(network.ops.size())
    {
        for (size_t i = 0; i < network.ops.size(); ++i)
            for (int input : network.ops[i].inputs) {
                ND_CHECK(input >= -1 && input < static_cast<int>(i), "import: op ", i, " (", network.ops[i].layerType,
                    ") reads op ", input, ", which does not come before it");
                if (input >= 0)
                    consumers_[static_cast<size_t>(input)].push_back(static_cast<int>(i));
            }
        if (options.groupModules)
            findGroups();
    }

    Graph assemble()
    {
        Graph graph;
        Block input { "input", "Input", "input", importedLayer("Input").defaultParams(), {} };
        input.params["shape"] = IntList(network_.inputShape.begin(), network_.inputShape.end());
        input.params["dtype"] = network_.inputDtype;
        graph.addBlock(input);
        std::vector<bool> placedGroup(groups_.size(), false);
        for (size_t i = 0; i < network_.ops.size(); ++i) {
            const int group = groupOf_[i];
            if (group < 0) {
                const ImportedOp& op = network_.ops[i];
                const std::string id = freeImportId(blockIdFromPath(op.modulePath, fallbackId(op)),
                    [&](const std::string& candidate) { return graph.findBlock(candidate) != nullptr; });
                graph.addBlock(Block { id, op.layerType, op.modulePath, fullParams(op), {} });
                topIds_[static_cast<int>(i)] = id;
            } else if (!placedGroup[static_cast<size_t>(group)]) {
                placedGroup[static_cast<size_t>(group)] = true;
                placeGroup(graph, static_cast<size_t>(group));
            }
        }
        for (size_t i = 0; i < network_.ops.size(); ++i) {
            if (groupOf_[i] >= 0)
                continue;
            const ImportedOp& op = network_.ops[i];
            const std::vector<std::string> ports = importedLayer(op.layerType).inputPorts(fullParams(op));
            ND_CHECK(ports.size() == op.inputs.size(), "import: ", op.layerType, " at '", op.modulePath, "' takes ",
                ports.size(), " inputs, got ", op.inputs.size());
            for (size_t port = 0; port < ports.size(); ++port)
                graph.connect({ outputEnd(op.inputs[port]), { topIds_.at(static_cast<int>(i)), ports[port] } });
        }
        for (const Group& group : groups_)
            for (const auto& [port, source] : group.inputSources)
                graph.connect({ outputEnd(source), { group.instanceId, port } });
        Block output { "output", "Output", "output", importedLayer("Output").defaultParams(), {} };
        graph.addBlock(output);
        graph.connect({ outputEnd(network_.outputOp), { "output", "in" } });
        return graph;
    }

    /// The expanded block id of op `index` (what GraphModel names its parameters after).
    std::string expandedId(size_t index) const
    {
        const int group = groupOf_[index];
        if (group < 0)
            return topIds_.at(static_cast<int>(index));
        return groups_[static_cast<size_t>(group)].instanceId + kCompositeIdSeparator + innerIds_[index];
    }

    int instanceCount() const { return static_cast<int>(groups_.size()); }

private:
    struct Group {
        std::string module;
        std::vector<int> members;
        std::string instanceId;
        std::vector<std::pair<std::string, int>> inputSources; ///< port → source op (-1: the input)
        std::map<int, std::string> outputPorts; ///< member op → its output port
    };

    /// Outermost modules of a known, non-container class with at least two ops, each grouped when no
    /// path leaves it and comes back (that would make the instance feed itself).
    void findGroups()
    {
        std::vector<std::string> modules;
        for (const auto& [path, type] : network_.moduleTypes)
            if (!path.empty() && !isContainerModule(type))
                modules.push_back(path);
        std::sort(modules.begin(), modules.end(), [](const std::string& a, const std::string& b) {
            return a.size() != b.size() ? a.size() < b.size() : a < b;
        });
        for (const std::string& module : modules) {
            std::vector<int> members;
            bool nested = false;
            for (size_t i = 0; i < network_.ops.size(); ++i)
                if (isInModule(network_.ops[i].modulePath, module)) {
                    members.push_back(static_cast<int>(i));
                    nested = nested || groupOf_[i] >= 0;
                }
            if (nested || members.size() < 2 || members.size() == network_.ops.size() || !isConvex(members))
                continue;
            Group group;
            group.module = module;
            group.members = members;
            for (int member : members)
                groupOf_[static_cast<size_t>(member)] = static_cast<int>(groups_.size());
            groups_.push_back(std::move(group));
        }
    }

    bool isConvex(const std::vector<int>& members) const
    {
        const std::set<int> inside(members.begin(), members.end());
        std::set<int> seen;
        std::vector<int> pending;
        for (int member : members)
            for (int consumer : consumers_[static_cast<size_t>(member)])
                if (!inside.count(consumer))
                    pending.push_back(consumer);
        while (!pending.empty()) {
            const int op = pending.back();
            pending.pop_back();
            if (inside.count(op))
                return false;
            if (!seen.insert(op).second)
                continue;
            for (int consumer : consumers_[static_cast<size_t>(op)])
                pending.push_back(consumer);
        }
        return true;
    }

    PortRef outputEnd(int source) const
    {
        if (source < 0)
            return { "input", "out" };
        const int group = groupOf_[static_cast<size_t>(source)];
        if (group < 0)
            return { topIds_.at(source), "out" };
        const Group& owner = groups_[static_cast<size_t>(group)];
        return { owner.instanceId, owner.outputPorts.at(source) };
    }

    /// Makes the definition of a group (reusing an equal one of the same class) and adds its instance.
    void placeGroup(Graph& graph, size_t index)
    {
        Group& group = groups_[index];
        const std::set<int> inside(group.members.begin(), group.members.end());
        CompositeDefinition definition;
        std::set<std::string> innerTaken;
        for (int member : group.members) {
            const ImportedOp& op = network_.ops[static_cast<size_t>(member)];
            const std::string relative
                = op.modulePath.size() > group.module.size() ? op.modulePath.substr(group.module.size() + 1) : "";
            const std::string id
                = freeImportId(blockIdFromPath(relative, fallbackId(op)).substr(0, kMaxImportedPartLength),
                    [&](const std::string& candidate) { return innerTaken.count(candidate) > 0; });
            innerTaken.insert(id);
            innerIds_[static_cast<size_t>(member)] = id;
            definition.blocks.push_back(Block { id, op.layerType, relative, fullParams(op), {} });
        }
        for (int member : group.members) {
            const ImportedOp& op = network_.ops[static_cast<size_t>(member)];
            const std::string& id = innerIds_[static_cast<size_t>(member)];
            const std::vector<std::string> ports = importedLayer(op.layerType).inputPorts(fullParams(op));
            ND_CHECK(ports.size() == op.inputs.size(), "import: ", op.layerType, " at '", op.modulePath, "' takes ",
                ports.size(), " inputs, got ", op.inputs.size());
            for (size_t port = 0; port < ports.size(); ++port) {
                const int source = op.inputs[port];
                if (inside.count(source)) {
                    definition.connections.push_back(
                        { { innerIds_[static_cast<size_t>(source)], "out" }, { id, ports[port] } });
                    continue;
                }
                auto known = std::find_if(group.inputSources.begin(), group.inputSources.end(),
                    [&](const auto& entry) { return entry.second == source; });
                std::string name;
                if (known == group.inputSources.end()) {
                    name = group.inputSources.empty() ? "in" : "in" + std::to_string(group.inputSources.size() + 1);
                    group.inputSources.emplace_back(name, source);
                    definition.inputs.push_back({ name, {} });
                } else {
                    name = known->first;
                }
                for (CompositeInput& input : definition.inputs)
                    if (input.name == name)
                        input.targets.push_back({ id, ports[port] });
            }
        }
        for (int member : group.members) {
            const auto& users = consumers_[static_cast<size_t>(member)];
            const bool usedOutside = member == network_.outputOp
                || std::any_of(users.begin(), users.end(), [&](int user) { return !inside.count(user); });
            if (!usedOutside)
                continue;
            const std::string name
                = group.outputPorts.empty() ? "out" : "out" + std::to_string(group.outputPorts.size() + 1);
            group.outputPorts[member] = name;
            definition.outputs.push_back({ name, { innerIds_[static_cast<size_t>(member)], "out" } });
        }
        Graph body = definition.body();
        layOutGraph(body);
        definition.setBody(body);

        const std::string moduleClass = network_.moduleTypes.at(group.module);
        definition.name = findOrAddDefinition(graph, definition, moduleClass);
        group.instanceId
            = freeImportId(blockIdFromPath(group.module, lowercaseName(moduleClass)).substr(0, kMaxImportedPartLength),
                [&](const std::string& candidate) { return graph.findBlock(candidate) != nullptr; });
        graph.addBlock(Block { group.instanceId, definition.name, group.module, {}, {} });
    }

    /// The name of an existing definition equal to `definition` but for its name, or of a new one.
    std::string findOrAddDefinition(Graph& graph, CompositeDefinition& definition, const std::string& moduleClass)
    {
        for (const CompositeDefinition& existing : graph.composites()) {
            CompositeDefinition candidate = definition;
            candidate.name = existing.name;
            candidate.description = existing.description;
            if (candidate == existing)
                return existing.name;
        }
        const std::string base = blockIdFromPath(moduleClass, "Module");
        definition.name = freeImportId(base, [&](const std::string& candidate) {
            return graph.findComposite(candidate) != nullptr || LayerRegistry::instance().find(candidate) != nullptr;
        });
        definition.description = "Imported module class " + moduleClass;
        graph.addComposite(definition);
        return definition.name;
    }

    const ImportedNetwork& network_;
    std::vector<int> groupOf_; ///< op → index in groups_, or -1
    std::vector<std::string> innerIds_; ///< op → its id inside its group's definition
    std::vector<std::vector<int>> consumers_;
    std::vector<Group> groups_;
    std::map<int, std::string> topIds_; ///< ungrouped op → its block id
};

std::string importShapeText(const torch::Tensor& tensor)
{
    std::string text;
    for (int64_t i = 0; i < tensor.dim(); ++i)
        text += (i ? "×" : "") + std::to_string(tensor.size(i));
    return text.empty() ? "scalar" : text;
}

/// The model's full state with the imported tensors copied in (buffers the file lacks, such as
/// num_batches_tracked, keep the model's values); throws Error listing every tensor that does not fit.
NamedTensors mergeWeights(GraphModelImpl& model, const ImportedNetwork& network, const GraphAssembler& assembler)
{
    NamedTensors state = namedState(model);
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < state.size(); ++i)
        index[state[i].first] = i;
    std::vector<std::string> problems;
    std::set<std::string> filled;
    for (size_t op = 0; op < network.ops.size(); ++op) {
        const std::string prefix = assembler.expandedId(op) + ".";
        for (const auto& [name, tensor] : network.ops[op].weights) {
            auto found = index.find(prefix + name);
            if (found == index.end()) {
                problems.push_back(prefix + name + " (" + network.ops[op].modulePath + "): not in the built "
                    + network.ops[op].layerType);
                continue;
            }
            torch::Tensor& target = state[found->second].second;
            filled.insert(found->first); // found: a wrong shape is its only problem
            if (!target.sizes().equals(tensor.sizes())) {
                problems.push_back(
                    prefix + name + ": file " + importShapeText(tensor) + ", block " + importShapeText(target));
                continue;
            }
            target = tensor.detach().to(target.dtype()).contiguous().clone();
        }
    }
    for (const auto& item : model.named_parameters())
        if (!filled.count(item.key()))
            problems.push_back(item.key() + ": no tensor for this parameter in the file");
    if (!problems.empty()) {
        std::string message = "import: the weights do not fit the blocks made from them:";
        for (const std::string& problem : problems)
            message += "\n  " + problem;
        throw Error(message);
    }
    importWeights(model, state, "the imported weights");
    return state;
}

} // namespace

ImportedOp opaqueOp(const UnsupportedOperator& unsupported, std::vector<int> inputs, std::string modulePath)
{
    ND_CHECK(!inputs.empty(), "import: the unsupported op '", unsupported.opType, "' reads no data");
    ND_CHECK(!unsupported.outputShape.empty(), "import: the unsupported op '", unsupported.opType,
        "' has no known output shape");
    ImportedOp op;
    op.layerType = "Opaque";
    op.modulePath = std::move(modulePath);
    op.params["op_type"] = unsupported.opType;
    op.params["format"] = unsupported.format;
    op.params["node_name"] = unsupported.nodeName;
    op.params["attributes"] = unsupported.attributes;
    op.params["input_shapes"] = unsupported.inputShapes;
    op.params["output_shape"] = IntList(unsupported.outputShape.begin(), unsupported.outputShape.end());
    op.params["num_inputs"] = static_cast<int64_t>(inputs.size());
    op.inputs = std::move(inputs);
    return op;
}

std::string opaqueNote(const std::map<std::string, int>& kinds)
{
    int total = 0;
    std::string list;
    for (const auto& [kind, count] : kinds) {
        total += count;
        list += (list.empty() ? "" : ", ") + kind + " ×" + std::to_string(count);
    }
    return std::to_string(total) + (total == 1 ? " operator has" : " operators have") + " no Netdraft block and "
        + (total == 1 ? "is" : "are") + " kept as an opaque block (" + list
        + "): replace them with real blocks before training or export";
}

std::string blockIdFromPath(const std::string& path, const std::string& fallback)
{
    std::string id;
    for (char c : path)
        id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    if (id.empty())
        id = fallback;
    else if (std::isdigit(static_cast<unsigned char>(id.front())))
        id = fallback + "_" + id; // nn.Sequential children are "0", "1", …
    if (id.empty() || std::isdigit(static_cast<unsigned char>(id.front())))
        id = "block_" + id;
    return id.substr(0, kMaxImportedIdLength);
}

void layOutGraph(Graph& graph)
{
    constexpr double kColumn = 220;
    constexpr double kRow = 110;
    std::map<std::string, int> depth;
    for (const Block& block : graph.blocks()) { // blocks come in execution order
        int deepest = -1;
        for (const Connection& connection : graph.connectionsInto(block.id))
            if (auto found = depth.find(connection.from.block); found != depth.end())
                deepest = std::max(deepest, found->second);
        depth[block.id] = deepest + 1;
    }
    std::map<int, int> rowsUsed;
    std::vector<std::string> ids;
    for (const Block& block : graph.blocks())
        ids.push_back(block.id);
    for (const std::string& id : ids) {
        const int column = depth[id];
        const int row = rowsUsed[column]++;
        graph.block(id).position = { column * kColumn, row * kRow };
    }
    for (CompositeDefinition definition : graph.composites()) {
        Graph body = definition.body();
        layOutGraph(body);
        definition.setBody(body);
        graph.replaceComposite(definition);
    }
}

std::map<std::string, int> blockCountsOf(const CompiledNetwork& network)
{
    std::map<std::string, int> counts;
    for (const NetworkStep* step : network.layers())
        ++counts[step->block->type];
    return counts;
}

ImportedGraph buildImportedGraph(const ImportedNetwork& network, const ImportGraphOptions& options)
{
    ND_CHECK(!network.inputShape.empty(), "import: the network has no input shape");
    ND_CHECK(network.outputOp >= -1 && network.outputOp < static_cast<int>(network.ops.size()),
        "import: the output refers to op ", network.outputOp);
    GraphAssembler assembler(network, options);
    ImportedGraph result;
    result.project.name = network.name;
    result.project.description = "Imported from " + network.name;
    Graph graph = assembler.assemble();
    // Definitions were laid out when made; the top level now, without touching them again.
    std::vector<CompositeDefinition> definitions = graph.composites();
    layOutGraph(graph);
    for (const CompositeDefinition& definition : definitions)
        graph.replaceComposite(definition);
    result.project.graph = std::move(graph);

    // Opaque blocks cannot run but have their shapes: their weights and parameters are counted.
    const CompiledNetwork compiled = CompiledNetwork::compileForInspection(result.project.graph);
    GraphModel model = buildModel(compiled);
    result.weights = mergeWeights(*model, network, assembler);
    result.parameterCount = model->totalParameters();
    result.blockCounts = blockCountsOf(compiled);
    result.compositeInstances = assembler.instanceCount();
    return result;
}

} // namespace netdraft::engine
