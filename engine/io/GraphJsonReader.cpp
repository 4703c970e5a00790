// Reads "$.graph" of a project file: every block and connection is checked and every problem is
// reported; the graph is only built when the whole section is valid.

#include "engine/core/Error.h"
#include "engine/io/ParamJson.h"
#include "engine/io/ProjectJson.h"
#include "engine/layers/LayerRegistry.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

namespace netdraft::engine {

namespace {

/// The ports of a composite definition, known before any body is read (bodies may use each other).
struct CompositePorts {
    std::vector<std::string> inputs;
    std::vector<std::string> outputs;
    std::map<std::string, ParamSpec> parameters; ///< exposed parameters whose first target resolves
};
using CompositePortMap = std::map<std::string, CompositePorts>;

struct ReadBlock {
    Block block;
    const LayerType* type = nullptr; ///< null when the type is unknown or missing
    const CompositePorts* composite = nullptr; ///< set for instances of a composite definition
    bool usable = false; ///< a valid, unique id: connections may refer to it
};

/// "'a', 'b'" or "no parameters".
std::string listNames(const std::map<std::string, ParamSpec>& parameters)
{
    if (parameters.empty())
        return "no parameters";
    std::string text;
    for (const auto& [name, spec] : parameters)
        text += (text.empty() ? "'" : ", '") + name + "'";
    return text;
}

class GraphReader {
public:
    GraphReader(std::vector<Problem>& problems, std::string base = "$.graph", const CompositePortMap* composites = nullptr,
        bool fillDefaults = true)
        : problems_(problems)
        , base_(std::move(base))
        , composites_(composites)
        , fillDefaults_(fillDefaults)
    {
    }

    Graph read(const Json& graph);
    /// Reads the blocks and connections of an object (the graph or a composite's body); returns
    /// whether no problem was found.
    bool readBody(const Json& body);
    /// The blocks and connections read, when readBody() succeeded.
    Graph build();
    std::optional<PortRef> readEnd(const Json& connection, const char* key, const std::string& path);
    /// The block `id` read by readBody, if any.
    const ReadBlock* readBlockNamed(const std::string& id) const
    {
        auto it = blockIndex_.find(id);
        return it == blockIndex_.end() ? nullptr : &blocks_[it->second];
    }

private:
    void readComposites(const Json& list, Graph& result);
    CompositeDefinition readComposite(const Json& json, const std::string& path, bool& ok);
    void readParameters(
        const Json& list, const std::string& path, const GraphReader& body, CompositeDefinition& definition);
    void readBlock(const Json& json, size_t index);
    void readParams(const Json& json, const std::string& path, const std::string& where, ReadBlock& read);
    void readConnection(const Json& json, size_t index);
    const ReadBlock* findBlock(const PortRef& end, const char* key, const std::string& path);
    void problem(const std::string& where, const std::string& message, const std::string& blockId = {})
    {
        problems_.push_back({ where, message, blockId });
    }

    std::vector<Problem>& problems_;
    std::string base_; ///< "$.graph" or "$.graph.composites[i]"
    const CompositePortMap* composites_;
    bool fillDefaults_; ///< parameters a block does not store get their defaults (project files)
    CompositePortMap ownComposites_;
    std::vector<ReadBlock> blocks_;
    std::map<std::string, size_t> blockIndex_; ///< id → index in blocks_
    std::map<PortRef, size_t> inputsTaken_; ///< input port → connection index feeding it
    std::vector<Connection> connections_;
};

Graph GraphReader::read(const Json& graph)
{
    if (!graph.is_object()) {
        problem(base_, "must be an object, got " + describeJson(graph));
        return {};
    }
    const size_t before = problems_.size();
    checkKnownKeys(graph, { "blocks", "connections", "composites" }, base_, problems_);
    Graph result;
    if (auto composites = graph.find("composites"); composites != graph.end())
        readComposites(*composites, result);
    if (!readBody(graph) || problems_.size() != before)
        return {};
    Graph body = build();
    for (const CompositeDefinition& definition : result.composites())
        body.addComposite(definition);
    return body;
}

bool GraphReader::readBody(const Json& graph)
{
    const size_t before = problems_.size();
    for (const char* key : { "blocks", "connections" }) {
        auto list = graph.find(key);
        if (list == graph.end())
            problem(base_, std::string("missing \"") + key + "\"");
        else if (!list->is_array())
            problem(childPath(base_, key), "must be a list, got " + describeJson(*list));
    }
    if (auto blocks = graph.find("blocks"); blocks != graph.end() && blocks->is_array())
        for (size_t i = 0; i < blocks->size(); ++i)
            readBlock((*blocks)[i], i);
    if (auto connections = graph.find("connections"); connections != graph.end() && connections->is_array())
        for (size_t i = 0; i < connections->size(); ++i)
            readConnection((*connections)[i], i);
    return problems_.size() == before;
}

Graph GraphReader::build()
{
    Graph result;
    try {
        for (const ReadBlock& read : blocks_)
            result.addBlock(read.block);
        for (const Connection& connection : connections_)
            result.connect(connection);
    } catch (const Error& error) { // the checks above should have caught it; report rather than crash
        problem(base_, error.what());
    }
    return result;
}

void GraphReader::readBlock(const Json& json, size_t index)
{
    const std::string path = indexPath(base_ + ".blocks", index);
    if (!json.is_object()) {
        problem(path, "must be an object, got " + describeJson(json));
        return;
    }
    checkKnownKeys(
        json, { "id", "type", "name", "params", "position", "frozen", "learning_rate_scale" }, path, problems_);
    ReadBlock read;
    std::string where = path;
    auto id = json.find("id");
    if (id == json.end()) {
        problem(path, "missing \"id\"");
    } else if (!id->is_string()) {
        problem(path + ".id", "must be text, got " + describeJson(*id));
    } else if (!isValidBlockId(id->get_ref<const std::string&>())) {
        problem(path + ".id",
            describeJson(*id) + " is not a valid id: use a letter or _, then letters, digits or _ (at most 64)");
    } else if (auto taken = blockIndex_.find(id->get<std::string>()); taken != blockIndex_.end()) {
        problem(
            path + ".id", describeJson(*id) + " is already the id of " + indexPath(base_ + ".blocks", taken->second));
    } else {
        read.block.id = id->get<std::string>();
        read.usable = true;
        where = "block " + read.block.id;
    }

    auto type = json.find("type");
    if (type == json.end()) {
        problem(path, "missing \"type\"");
    } else if (!type->is_string()) {
        problem(path + ".type", "must be text, got " + describeJson(*type));
    } else {
        read.block.type = type->get<std::string>();
        read.type = LayerRegistry::instance().find(read.block.type);
        const CompositePortMap* composites = composites_ ? composites_ : &ownComposites_;
        if (auto composite = composites->find(read.block.type); !read.type && composite != composites->end())
            read.composite = &composite->second;
        else if (!read.type)
            problem(where, "unknown layer type '" + read.block.type + "'", read.block.id);
    }

    if (auto name = json.find("name"); name != json.end()) {
        if (name->is_string())
            read.block.name = name->get<std::string>();
        else
            problem(path + ".name", "must be text, got " + describeJson(*name));
    }
    if (auto position = json.find("position"); position != json.end())
        pointFromJson(*position, path + ".position", read.block.position, problems_);
    if (auto frozen = json.find("frozen"); frozen != json.end()) {
        if (frozen->is_boolean())
            read.block.frozen = frozen->get<bool>();
        else
            problem(path + ".frozen", "must be true or false, got " + describeJson(*frozen));
    }
    if (auto scale = json.find("learning_rate_scale"); scale != json.end()) {
        // A scale of 0 would freeze the block without saying so; "frozen" does that.
        if (scale->is_number() && scale->get<double>() > 0 && std::isfinite(scale->get<double>()))
            read.block.learningRateScale = scale->get<double>();
        else
            problem(where,
                "learning_rate_scale must be a number > 0 (the block's factor on the learning rate), got "
                    + describeJson(*scale),
                read.block.id);
    }
    readParams(json, path, where, read);

    if (read.usable)
        blockIndex_[read.block.id] = blocks_.size();
    blocks_.push_back(std::move(read));
}

void GraphReader::readParams(const Json& json, const std::string& path, const std::string& where, ReadBlock& read)
{
    if (read.type && fillDefaults_)
        read.block.params = read.type->description().defaultParams(); // parameters added since keep defaults
    auto params = json.find("params");
    if (params == json.end())
        return;
    if (!params->is_object()) {
        problem(path + ".params", "must be an object, got " + describeJson(*params));
        return;
    }
    if (read.composite) {
        // Only the parameters its definition exposes, as the inner parameter they stand for reads them.
        for (const auto& [name, value] : params->items()) {
            auto spec = read.composite->parameters.find(name);
            if (spec == read.composite->parameters.end()) {
                problem(where,
                    "unknown parameter '" + name + "' for " + read.block.type + " (it exposes "
                        + listNames(read.composite->parameters) + ")",
                    read.block.id);
                continue;
            }
            if (auto error = paramFromJson(value, spec->second, read.block.params[name]))
                problem(where, name + " " + *error, read.block.id);
        }
        return;
    }
    if (!read.type)
        return; // unknown type: its parameters cannot be checked (already reported)
    const LayerDescription& description = read.type->description();
    for (const auto& [name, value] : params->items()) {
        const ParamSpec* spec = description.findParam(name);
        if (!spec) {
            problem(where, "unknown parameter '" + name + "' for " + description.type, read.block.id);
            continue;
        }
        if (auto error = paramFromJson(value, *spec, read.block.params[name]))
            problem(where, name + " " + *error, read.block.id);
    }
}

std::optional<PortRef> GraphReader::readEnd(const Json& connection, const char* key, const std::string& path)
{
    auto end = connection.find(key);
    if (end == connection.end()) {
        problem(path, std::string("missing \"") + key + "\"");
        return std::nullopt;
    }
    const std::string text = end->is_string() ? end->get<std::string>() : std::string();
    const size_t dot = text.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == text.size()
        || text.find('.', dot + 1) != std::string::npos) {
        problem(childPath(path, key), "must be \"block.port\", got " + describeJson(*end));
        return std::nullopt;
    }
    return PortRef { text.substr(0, dot), text.substr(dot + 1) };
}

const ReadBlock* GraphReader::findBlock(const PortRef& end, const char* key, const std::string& path)
{
    auto it = blockIndex_.find(end.block);
    if (it == blockIndex_.end()) {
        problem(path, "no block '" + end.block + "' (" + key + " \"" + end.block + "." + end.port + "\")");
        return nullptr;
    }
    return &blocks_[it->second];
}

std::string listPorts(const std::vector<std::string>& ports)
{
    if (ports.empty())
        return "none";
    std::string text;
    for (const std::string& port : ports)
        text += (text.empty() ? "'" : ", '") + port + "'";
    return text;
}

void GraphReader::readConnection(const Json& json, size_t index)
{
    const std::string path = indexPath(base_ + ".connections", index);
    if (!json.is_object()) {
        problem(path, "must be an object, got " + describeJson(json));
        return;
    }
    checkKnownKeys(json, { "from", "to" }, path, problems_);
    auto from = readEnd(json, "from", path);
    auto to = readEnd(json, "to", path);
    const ReadBlock* source = from ? findBlock(*from, "from", path) : nullptr;
    const ReadBlock* target = to ? findBlock(*to, "to", path) : nullptr;
    bool ok = source && target;
    if (source && (source->type || source->composite)) {
        const auto outputs
            = source->type ? source->type->description().outputPorts(source->block.params) : source->composite->outputs;
        if (std::find(outputs.begin(), outputs.end(), from->port) == outputs.end()) {
            problem(path,
                "block " + from->block + " has no output port '" + from->port + "' (output ports: " + listPorts(outputs)
                    + ")");
            ok = false;
        }
    }
    if (target && (target->type || target->composite)) {
        const auto inputs
            = target->type ? target->type->description().inputPorts(target->block.params) : target->composite->inputs;
        if (std::find(inputs.begin(), inputs.end(), to->port) == inputs.end()) {
            problem(path,
                "block " + to->block + " has no input port '" + to->port + "' (input ports: " + listPorts(inputs)
                    + ")");
            ok = false;
        }
    }
    if (source && target && from->block == to->block) {
        problem(path, "block " + from->block + " cannot feed itself");
        ok = false;
    }
    if (to && target) {
        auto [taken, inserted] = inputsTaken_.emplace(*to, index);
        if (!inserted) {
            problem(path,
                "input " + to->block + "." + to->port + " is already fed by "
                    + indexPath(base_ + ".connections", taken->second));
            ok = false;
        }
    }
    if (ok)
        connections_.push_back({ *from, *to });
}

/// "block.port" split at its one dot; nullopt when `json` is not such text.
std::optional<PortRef> splitEnd(const Json& json)
{
    const std::string text = json.is_string() ? json.get<std::string>() : std::string();
    const size_t dot = text.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == text.size() || text.find('.', dot + 1) != std::string::npos)
        return std::nullopt;
    return PortRef { text.substr(0, dot), text.substr(dot + 1) };
}

/// A parameter target, "block.param" with factors "*name" or "*6" after it; empty when it is not a string of that form.
std::optional<ParamTarget> targetOf(const Json& json)
{
    return json.is_string() ? parseParamTarget(json.get<std::string>()) : std::nullopt;
}

/// The names in a composite's "parameters" list, as far as they are readable.
std::vector<std::string> parameterNames(const Json& composite)
{
    std::vector<std::string> names;
    auto list = composite.find("parameters");
    if (list == composite.end() || !list->is_array())
        return names;
    for (const Json& parameter : *list)
        if (parameter.is_object() && parameter.contains("name") && parameter["name"].is_string())
            names.push_back(parameter["name"].get<std::string>());
    return names;
}

/// The description of parameter `name` of the composite `json`, read from the raw file before any body
/// is read: its first target's block type and parameter, through nested composites of `byName`; with the
/// default the file gives when it is readable. Empty when the first target does not resolve (readComposite
/// reports why).
std::optional<ParamSpec> rawParameterSpec(
    const std::map<std::string, const Json*>& byName, const Json& json, const std::string& name, int depth)
{
    if (depth > 16)
        return std::nullopt;
    const Json* parameter = nullptr;
    if (auto list = json.find("parameters"); list != json.end() && list->is_array())
        for (const Json& entry : *list)
            if (entry.is_object() && entry.value("name", Json()) == Json(name))
                parameter = &entry;
    auto targets = parameter ? parameter->find("targets") : json.end();
    if (!parameter || targets == parameter->end() || !targets->is_array() || targets->empty())
        return std::nullopt;
    const std::optional<ParamTarget> first = targetOf(targets->front());
    auto blocks = json.find("blocks");
    if (!first || blocks == json.end() || !blocks->is_array())
        return std::nullopt;
    const std::optional<PortRef> target = PortRef { first->block, first->param };
    std::optional<ParamSpec> spec;
    for (const Json& block : *blocks) {
        if (!block.is_object() || block.value("id", Json()) != Json(target->block) || !block.value("type", Json()).is_string())
            continue;
        const std::string type = block["type"].get<std::string>();
        if (const LayerType* layer = LayerRegistry::instance().find(type)) {
            if (const ParamSpec* found = layer->description().findParam(target->port))
                spec = *found;
        } else if (auto nested = byName.find(type); nested != byName.end()) {
            spec = rawParameterSpec(byName, *nested->second, target->port, depth + 1);
        }
        break;
    }
    if (!spec)
        return std::nullopt;
    spec->name = name;
    if (auto value = parameter->find("default"); value != parameter->end()) {
        ParamValue read;
        if (!paramFromJson(*value, *spec, read))
            spec->defaultValue = read;
    }
    return spec;
}

/// The port names of a composite's "inputs" or "outputs" list, as far as they are readable.
std::vector<std::string> portNames(const Json& composite, const char* key)
{
    std::vector<std::string> names;
    auto list = composite.find(key);
    if (list == composite.end() || !list->is_array())
        return names;
    for (const Json& port : *list)
        if (port.is_object() && port.contains("name") && port["name"].is_string())
            names.push_back(port["name"].get<std::string>());
    return names;
}

void GraphReader::readComposites(const Json& list, Graph& result)
{
    const std::string path = childPath(base_, "composites");
    if (!list.is_array()) {
        problem(path, "must be a list, got " + describeJson(list));
        return;
    }
    // Names and ports first: a body may use any composite of the file.
    std::vector<bool> named(list.size(), false);
    for (size_t i = 0; i < list.size(); ++i) {
        const Json& json = list[i];
        const std::string where = indexPath(path, i);
        auto name = json.is_object() ? json.find("name") : json.end();
        if (!json.is_object()) {
            problem(where, "must be an object, got " + describeJson(json));
        } else if (name == json.end() || !name->is_string()) {
            problem(where, "needs a \"name\" (text)");
        } else if (!isValidBlockId(name->get_ref<const std::string&>())) {
            problem(where + ".name",
                describeJson(*name) + " is not a valid name: use a letter or _, then letters, digits or _ (at most 64)");
        } else if (LayerRegistry::instance().find(name->get<std::string>())) {
            problem(where + ".name", describeJson(*name) + " is the name of a layer type");
        } else if (ownComposites_.count(name->get<std::string>())) {
            problem(where + ".name", describeJson(*name) + " is already the name of another composite");
        } else {
            ownComposites_[name->get<std::string>()] = { portNames(json, "inputs"), portNames(json, "outputs"), {} };
            named[i] = true;
        }
    }
    // Then the kinds of their parameters, from the inner parameters they expose (bodies may nest instances).
    std::map<std::string, const Json*> byName;
    for (size_t i = 0; i < list.size(); ++i)
        if (named[i])
            byName[list[i]["name"].get<std::string>()] = &list[i];
    for (const auto& [name, json] : byName)
        for (const std::string& parameter : parameterNames(*json))
            if (auto spec = rawParameterSpec(byName, *json, parameter, 0))
                ownComposites_[name].parameters.emplace(parameter, std::move(*spec));
    for (size_t i = 0; i < list.size(); ++i) {
        if (!named[i])
            continue;
        bool ok = true;
        CompositeDefinition definition = readComposite(list[i], indexPath(path, i), ok);
        if (!ok)
            continue;
        try {
            result.addComposite(std::move(definition));
        } catch (const Error& error) {
            problem(indexPath(path, i), error.what());
        }
    }
}

CompositeDefinition GraphReader::readComposite(const Json& json, const std::string& path, bool& ok)
{
    const size_t before = problems_.size();
    checkKnownKeys(
        json, { "name", "description", "inputs", "outputs", "parameters", "blocks", "connections" }, path, problems_);
    CompositeDefinition definition;
    definition.name = json["name"].get<std::string>();
    if (auto description = json.find("description"); description != json.end()) {
        if (description->is_string())
            definition.description = description->get<std::string>();
        else
            problem(path + ".description", "must be text, got " + describeJson(*description));
    }
    GraphReader body(problems_, path, &ownComposites_);
    if (body.readBody(json)) {
        const Graph graph = body.build();
        for (size_t i = 0; i < graph.blocks().size(); ++i) {
            const Block& block = graph.blocks()[i];
            if (block.type == "Input" || block.type == "Output")
                problem(indexPath(path + ".blocks", i), "a composite block cannot hold the " + block.type + " block");
        }
        definition.setBody(graph);
    }
    auto ports = [&](const ReadBlock* block, bool input) -> std::vector<std::string> {
        if (block && block->type)
            return input ? block->type->description().inputPorts(block->block.params)
                         : block->type->description().outputPorts(block->block.params);
        if (block && block->composite)
            return input ? block->composite->inputs : block->composite->outputs;
        return {};
    };
    auto readPort = [&](const Json& port, const std::string& where, const char* endKey, std::set<std::string>& names,
                        std::string& name, std::vector<PortRef>& ends) {
        if (!port.is_object()) {
            problem(where, "must be an object, got " + describeJson(port));
            return false;
        }
        checkKnownKeys(port, { "name", endKey }, where, problems_);
        auto nameJson = port.find("name");
        if (nameJson == port.end() || !nameJson->is_string() || !isValidBlockId(nameJson->get_ref<const std::string&>())) {
            problem(where, "needs a \"name\": an identifier");
            return false;
        }
        name = nameJson->get<std::string>();
        if (!names.insert(name).second) {
            problem(where + ".name", "port '" + name + "' is listed twice");
            return false;
        }
        auto end = port.find(endKey);
        if (end == port.end()) {
            problem(where, std::string("missing \"") + endKey + "\"");
            return false;
        }
        const bool input = std::string(endKey) == "to";
        std::vector<Json> texts;
        if (input && end->is_array() && !end->empty())
            texts.assign(end->begin(), end->end());
        else if (!input)
            texts.push_back(*end);
        else
            problem(where + ".to", "must be a non-empty list of \"block.port\", got " + describeJson(*end));
        for (const Json& text : texts) {
            auto ref = splitEnd(text);
            const ReadBlock* block = ref ? body.readBlockNamed(ref->block) : nullptr;
            const auto available = ports(block, input);
            if (!ref || !block || std::find(available.begin(), available.end(), ref->port) == available.end()) {
                problem(childPath(where, endKey),
                    describeJson(text) + " is not " + (input ? "an input" : "an output") + " port of a block inside");
                return false;
            }
            ends.push_back(*ref);
        }
        return !ends.empty();
    };
    for (const char* key : { "inputs", "outputs" }) {
        auto list = json.find(key);
        if (list == json.end())
            continue;
        if (!list->is_array()) {
            problem(childPath(path, key), "must be a list, got " + describeJson(*list));
            continue;
        }
        std::set<std::string> names;
        const bool input = std::string(key) == "inputs";
        for (size_t i = 0; i < list->size(); ++i) {
            std::string name;
            std::vector<PortRef> ends;
            if (!readPort((*list)[i], indexPath(childPath(path, key), i), input ? "to" : "from", names, name, ends))
                continue;
            if (input)
                definition.inputs.push_back({ name, ends });
            else
                definition.outputs.push_back({ name, ends.front() });
        }
    }
    if (auto list = json.find("parameters"); list != json.end())
        readParameters(*list, childPath(path, "parameters"), body, definition);
    ok = problems_.size() == before;
    return definition;
}

void GraphReader::readParameters(
    const Json& list, const std::string& path, const GraphReader& body, CompositeDefinition& definition)
{
    if (!list.is_array()) {
        problem(path, "must be a list, got " + describeJson(list));
        return;
    }
    const CompositePorts& own = ownComposites_.at(definition.name);
    std::set<std::string> names;
    std::map<ParamTarget, std::string, bool (*)(const ParamTarget&, const ParamTarget&)> bound(
        [](const ParamTarget& a, const ParamTarget& b) { return a.block != b.block ? a.block < b.block : a.param < b.param; });
    for (size_t i = 0; i < list.size(); ++i) {
        const std::string where = indexPath(path, i);
        const Json& json = list[i];
        if (!json.is_object()) {
            problem(where, "must be an object, got " + describeJson(json));
            continue;
        }
        checkKnownKeys(json, { "name", "default", "targets" }, where, problems_);
        auto name = json.find("name");
        if (name == json.end() || !name->is_string() || !isValidBlockId(name->get_ref<const std::string&>())) {
            problem(where, "needs a \"name\": an identifier");
            continue;
        }
        if (!names.insert(name->get<std::string>()).second) {
            problem(where + ".name", "parameter '" + name->get<std::string>() + "' is listed twice");
            continue;
        }
        CompositeParameter parameter { name->get<std::string>(), {}, {} };
        auto targets = json.find("targets");
        if (targets == json.end() || !targets->is_array() || targets->empty()) {
            problem(where + ".targets", "must be a non-empty list of \"block.parameter\", got "
                    + (targets == json.end() ? std::string("nothing") : describeJson(*targets)));
            continue;
        }
        std::optional<ParamSpec> first;
        for (size_t t = 0; t < targets->size(); ++t) {
            const std::string at = indexPath(where + ".targets", t);
            const std::optional<ParamTarget> parsed = targetOf((*targets)[t]);
            const std::optional<PortRef> end
                = parsed ? std::optional<PortRef>(PortRef { parsed->block, parsed->param }) : std::nullopt;
            const ReadBlock* block = end ? body.readBlockNamed(end->block) : nullptr;
            std::optional<ParamSpec> spec;
            if (block && block->type) {
                if (const ParamSpec* found = block->type->description().findParam(end->port))
                    spec = *found;
            } else if (block && block->composite) {
                if (auto found = block->composite->parameters.find(end->port); found != block->composite->parameters.end())
                    spec = found->second;
            }
            if (!spec) {
                problem(at, describeJson((*targets)[t]) + " is not a parameter of a block inside");
                continue;
            }
            const ParamTarget target { end->block, end->port, parsed->times };
            if (!target.times.empty() && spec->kind != ParamKind::Int) {
                problem(at,
                    end->block + "." + end->port + " is " + describeKind(spec->kind, spec->tupleSize)
                        + ": only an integer parameter can be multiplied by factors");
                continue;
            }
            if (auto [taken, inserted] = bound.emplace(target, parameter.name); !inserted) {
                problem(at, end->block + "." + end->port + " is already set by parameter '" + taken->second + "'");
                continue;
            }
            if (first && (first->kind != spec->kind || first->tupleSize != spec->tupleSize)) {
                problem(at, end->block + "." + end->port + " is " + describeKind(spec->kind, spec->tupleSize)
                        + ", but the first target is " + describeKind(first->kind, first->tupleSize));
                continue;
            }
            if (!first)
                first = spec;
            parameter.targets.push_back(target);
        }
        if (parameter.targets.size() != targets->size() || !first)
            continue;
        auto value = json.find("default");
        if (value == json.end()) {
            problem(where, "missing \"default\"");
            continue;
        }
        if (auto error = paramFromJson(*value, *first, parameter.defaultValue)) {
            problem(where + ".default", *error);
            continue;
        }
        if (!own.parameters.count(parameter.name))
            continue; // cannot happen when the targets resolve; kept so that instances and definition agree
        definition.parameters.push_back(std::move(parameter));
    }
    // Factors name integer parameters of this composite (any order in the list) or are constants.
    for (size_t i = 0; i < definition.parameters.size(); ++i)
        for (size_t t = 0; t < definition.parameters[i].targets.size(); ++t)
            for (const std::string& factor : definition.parameters[i].targets[t].times) {
                if (isIntegerFactor(factor))
                    continue;
                auto named = own.parameters.find(factor);
                if (named == own.parameters.end() || named->second.kind != ParamKind::Int)
                    problem(indexPath(indexPath(path, i) + ".targets", t),
                        "factor '" + factor + "' is neither a positive integer nor an integer parameter of "
                            + definition.name);
            }
}

} // namespace

Graph graphFromJson(const Json& graph, std::vector<Problem>& problems)
{
    return GraphReader(problems).read(graph);
}

Graph graphFromJson(const Json& graph, std::vector<Problem>& problems, const std::string& base, bool fillDefaults)
{
    return GraphReader(problems, base, nullptr, fillDefaults).read(graph);
}

} // namespace netdraft::engine
