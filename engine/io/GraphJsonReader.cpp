// Reads "$.graph" of a project file: every block and connection is checked and every problem is
// reported; the graph is only built when the whole section is valid.

#include "engine/core/Error.h"
#include "engine/io/ParamJson.h"
#include "engine/io/ProjectJson.h"
#include "engine/layers/LayerRegistry.h"

#include <algorithm>
#include <map>
#include <optional>

namespace netdraft::engine {

namespace {

struct ReadBlock {
    Block block;
    const LayerType* type = nullptr; ///< null when the type is unknown or missing
    bool usable = false; ///< a valid, unique id: connections may refer to it
};

class GraphReader {
public:
    explicit GraphReader(std::vector<Problem>& problems)
        : problems_(problems)
    {
    }

    Graph read(const Json& graph);

private:
    void readBlock(const Json& json, size_t index);
    void readParams(const Json& json, const std::string& path, const std::string& where, ReadBlock& read);
    void readConnection(const Json& json, size_t index);
    std::optional<PortRef> readEnd(const Json& connection, const char* key, const std::string& path);
    const ReadBlock* findBlock(const PortRef& end, const char* key, const std::string& path);
    void problem(const std::string& where, const std::string& message, const std::string& blockId = {})
    {
        problems_.push_back({ where, message, blockId });
    }

    std::vector<Problem>& problems_;
    std::vector<ReadBlock> blocks_;
    std::map<std::string, size_t> blockIndex_; ///< id → index in blocks_
    std::map<PortRef, size_t> inputsTaken_; ///< input port → connection index feeding it
    std::vector<Connection> connections_;
};

Graph GraphReader::read(const Json& graph)
{
    if (!graph.is_object()) {
        problem("$.graph", "must be an object, got " + describeJson(graph));
        return {};
    }
    const size_t before = problems_.size();
    checkKnownKeys(graph, { "blocks", "connections" }, "$.graph", problems_);
    for (const char* key : { "blocks", "connections" }) {
        auto list = graph.find(key);
        if (list == graph.end())
            problem("$.graph", std::string("missing \"") + key + "\"");
        else if (!list->is_array())
            problem(childPath("$.graph", key), "must be a list, got " + describeJson(*list));
    }
    if (auto blocks = graph.find("blocks"); blocks != graph.end() && blocks->is_array())
        for (size_t i = 0; i < blocks->size(); ++i)
            readBlock((*blocks)[i], i);
    if (auto connections = graph.find("connections"); connections != graph.end() && connections->is_array())
        for (size_t i = 0; i < connections->size(); ++i)
            readConnection((*connections)[i], i);
    if (problems_.size() != before)
        return {};

    Graph result;
    try {
        for (ReadBlock& read : blocks_)
            result.addBlock(std::move(read.block));
        for (const Connection& connection : connections_)
            result.connect(connection);
    } catch (const Error& error) { // the checks above should have caught it; report rather than crash
        problem("$.graph", error.what());
    }
    return result;
}

void GraphReader::readBlock(const Json& json, size_t index)
{
    const std::string path = indexPath("$.graph.blocks", index);
    if (!json.is_object()) {
        problem(path, "must be an object, got " + describeJson(json));
        return;
    }
    checkKnownKeys(json, { "id", "type", "name", "params", "position" }, path, problems_);
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
            path + ".id", describeJson(*id) + " is already the id of " + indexPath("$.graph.blocks", taken->second));
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
        if (!read.type)
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
    readParams(json, path, where, read);

    if (read.usable)
        blockIndex_[read.block.id] = blocks_.size();
    blocks_.push_back(std::move(read));
}

void GraphReader::readParams(const Json& json, const std::string& path, const std::string& where, ReadBlock& read)
{
    if (read.type)
        read.block.params = read.type->description().defaultParams(); // parameters added since keep defaults
    auto params = json.find("params");
    if (params == json.end())
        return;
    if (!params->is_object()) {
        problem(path + ".params", "must be an object, got " + describeJson(*params));
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
    const std::string path = indexPath("$.graph.connections", index);
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
    if (source && source->type) {
        const auto& outputs = source->type->description().outputs;
        if (std::find(outputs.begin(), outputs.end(), from->port) == outputs.end()) {
            problem(path,
                "block " + from->block + " has no output port '" + from->port + "' (output ports: " + listPorts(outputs)
                    + ")");
            ok = false;
        }
    }
    if (target && target->type) {
        const auto inputs = target->type->description().inputPorts(target->block.params);
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
                    + indexPath("$.graph.connections", taken->second));
            ok = false;
        }
    }
    if (ok)
        connections_.push_back({ *from, *to });
}

} // namespace

Graph graphFromJson(const Json& graph, std::vector<Problem>& problems)
{
    return GraphReader(problems).read(graph);
}

} // namespace netdraft::engine
