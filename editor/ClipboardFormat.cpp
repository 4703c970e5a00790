#include "editor/ClipboardFormat.h"

#include "engine/core/Error.h"
#include "engine/graph/CompositeEditing.h"
#include "engine/io/ProjectFormat.h"
#include "engine/layers/LayerRegistry.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <set>

namespace netdraft::editor {

using engine::ParamValue;

namespace {

QJsonValue toJson(const ParamValue& value)
{
    struct Visitor {
        QJsonValue operator()(const engine::Auto&) const { return QJsonValue::Null; }
        QJsonValue operator()(bool v) const { return v; }
        QJsonValue operator()(int64_t v) const { return static_cast<qint64>(v); }
        QJsonValue operator()(double v) const { return v; }
        QJsonValue operator()(const std::string& v) const { return QString::fromStdString(v); }
        QJsonValue operator()(const engine::IntList& v) const
        {
            QJsonArray array;
            for (int64_t element : v)
                array.append(static_cast<qint64>(element));
            return array;
        }
        QJsonValue operator()(const engine::RealList& v) const
        {
            QJsonArray array;
            for (double element : v)
                array.append(element);
            return array;
        }
    };
    return std::visit(Visitor {}, value);
}

bool isInteger(double number)
{
    return std::isfinite(number) && std::floor(number) == number && std::abs(number) < 9e15;
}

/// JSON numbers carry no int/real distinction: the ParamSpec decides (reals stay reals).
ParamValue fromJson(const QJsonValue& json, const engine::ParamSpec* spec, const std::string& where)
{
    const bool wantsReal
        = spec && (spec->kind == engine::ParamKind::Float || spec->kind == engine::ParamKind::RealList);
    switch (json.type()) {
    case QJsonValue::Null:
        return engine::Auto {};
    case QJsonValue::Bool:
        return json.toBool();
    case QJsonValue::String:
        return json.toString().toStdString();
    case QJsonValue::Double: {
        const double number = json.toDouble();
        if (!wantsReal && isInteger(number))
            return static_cast<int64_t>(number);
        return number;
    }
    case QJsonValue::Array: {
        const QJsonArray array = json.toArray();
        bool allIntegers = !wantsReal;
        for (const QJsonValue& element : array) {
            ND_CHECK(element.isDouble(), "clipboard: ", where, " must be a list of numbers");
            allIntegers = allIntegers && isInteger(element.toDouble());
        }
        if (allIntegers) {
            engine::IntList list;
            for (const QJsonValue& element : array)
                list.push_back(static_cast<int64_t>(element.toDouble()));
            return list;
        }
        engine::RealList list;
        for (const QJsonValue& element : array)
            list.push_back(element.toDouble());
        return list;
    }
    default:
        break;
    }
    ND_CHECK(false, "clipboard: ", where, " must be null, true/false, a number, text or a list of numbers");
    return {};
}

engine::PortRef parsePort(const QJsonValue& json, const std::string& where)
{
    const QStringList parts = json.toString().split(QLatin1Char('.'));
    ND_CHECK(parts.size() == 2 && !parts[0].isEmpty() && !parts[1].isEmpty(), "clipboard: ", where,
        " must be \"block.port\", got '", json.toString().toStdString(), "'");
    return { parts[0].toStdString(), parts[1].toStdString() };
}

engine::Block parseBlock(const QJsonValue& json, const std::string& where, const engine::Graph& composites)
{
    ND_CHECK(json.isObject(), "clipboard: ", where, " must be an object");
    const QJsonObject object = json.toObject();
    engine::Block block;
    block.id = object.value("id").toString().toStdString();
    block.type = object.value("type").toString().toStdString();
    block.name = object.value("name").toString().toStdString();
    ND_CHECK(engine::isValidBlockId(block.id), "clipboard: ", where, ".id must be an identifier, got '", block.id, "'");
    const engine::LayerType* layer = engine::LayerRegistry::instance().find(block.type);
    // Composite instances paste by type name; the definition comes along or is in the receiving project.
    const bool composite = !layer && composites.findComposite(block.type);
    ND_CHECK(layer || composite, "clipboard: ", where, ".type: unknown layer type '", block.type, "'");
    const QJsonArray position = object.value("position").toArray();
    ND_CHECK(position.size() == 2 && position[0].isDouble() && position[1].isDouble(), "clipboard: ", where,
        ".position must be [x, y]");
    block.position = { position[0].toDouble(), position[1].toDouble() };
    const QJsonObject params = object.value("params").toObject();
    ND_CHECK(layer || params.isEmpty(), "clipboard: ", where, ".params: a composite block has no parameters");
    for (auto it = params.begin(); layer && it != params.end(); ++it) {
        const std::string name = it.key().toStdString();
        block.params[name] = fromJson(it.value(), layer->description().findParam(name), where + ".params." + name);
    }
    return block;
}

} // namespace

BlockFragment copyFragment(const engine::Graph& graph, const std::vector<std::string>& ids)
{
    const std::set<std::string> chosen(ids.begin(), ids.end());
    BlockFragment fragment;
    for (const engine::Block& block : graph.blocks())
        if (chosen.count(block.id))
            fragment.blocks.push_back(block);
    for (const engine::Connection& connection : graph.connections())
        if (chosen.count(connection.from.block) && chosen.count(connection.to.block))
            fragment.connections.push_back(connection);
    std::vector<std::string> types;
    for (const engine::Block& block : fragment.blocks)
        types.push_back(block.type);
    fragment.composites = engine::compositeClosure(graph, types);
    return fragment;
}

namespace {

/// The definitions as a project file writes them ("graph.composites"): the engine's format, reused.
QJsonArray compositesToJson(const std::vector<engine::CompositeDefinition>& composites)
{
    engine::Project project;
    for (const engine::CompositeDefinition& definition : composites)
        project.graph.addComposite(definition);
    const QJsonDocument document
        = QJsonDocument::fromJson(QByteArray::fromStdString(engine::serializeProject(project)));
    return document.object().value("graph").toObject().value("composites").toArray();
}

/// Reads "composites" through the project format's reader, which checks every block, port and nesting.
std::vector<engine::CompositeDefinition> compositesFromJson(const QJsonValue& json)
{
    ND_CHECK(json.isArray(), "clipboard: \"composites\" must be a list");
    QJsonObject project = QJsonDocument::fromJson(QByteArray::fromStdString(engine::serializeProject({}))).object();
    QJsonObject graph = project.value("graph").toObject();
    graph.insert("composites", json);
    project.insert("graph", graph);
    const std::string text = QJsonDocument(project).toJson(QJsonDocument::Compact).toStdString();
    return engine::parseProject(text, "clipboard composites").graph.composites();
}

} // namespace

bool sameComposite(const engine::CompositeDefinition& a, const engine::CompositeDefinition& b)
{
    return a == b || compositesToJson({ a }) == compositesToJson({ b });
}

QByteArray encodeFragment(const BlockFragment& fragment)
{
    QJsonArray blocks;
    for (const engine::Block& block : fragment.blocks) {
        QJsonObject params;
        for (const auto& [name, value] : block.params)
            params.insert(QString::fromStdString(name), toJson(value));
        QJsonObject object { { "id", QString::fromStdString(block.id) }, { "type", QString::fromStdString(block.type) },
            { "position", QJsonArray { block.position.x, block.position.y } }, { "params", params } };
        if (!block.name.empty())
            object.insert("name", QString::fromStdString(block.name));
        blocks.append(object);
    }
    QJsonArray connections;
    for (const engine::Connection& c : fragment.connections)
        connections.append(QJsonObject { { "from", QString::fromStdString(c.from.block + "." + c.from.port) },
            { "to", QString::fromStdString(c.to.block + "." + c.to.port) } });
    QJsonObject root { { "format", "netdraft-blocks" }, { "version", kClipboardFormatVersion }, { "blocks", blocks },
        { "connections", connections } };
    if (!fragment.composites.empty())
        root.insert("composites", compositesToJson(fragment.composites));
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

BlockFragment decodeFragment(const QByteArray& json, const engine::Graph& receiving)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    ND_CHECK(!document.isNull(), "clipboard: not JSON (", parseError.errorString().toStdString(), " at byte ",
        parseError.offset, ")");
    const QJsonObject root = document.object();
    ND_CHECK(root.value("format").toString() == "netdraft-blocks", "clipboard: \"format\" must be \"netdraft-blocks\"");
    const int version = root.value("version").toInt(-1);
    ND_CHECK(version >= 1 && version <= kClipboardFormatVersion, "clipboard: version ", version,
        " is not supported (this build reads 1 to ", kClipboardFormatVersion, ")");
    BlockFragment fragment;
    engine::Graph known; // the carried definitions, else the receiving project's
    if (root.contains("composites"))
        fragment.composites = compositesFromJson(root.value("composites"));
    for (const engine::CompositeDefinition& definition : fragment.composites)
        known.addComposite(definition);
    for (const engine::CompositeDefinition& definition : receiving.composites())
        if (!known.findComposite(definition.name))
            known.addComposite(definition);
    std::set<std::string> ids;
    const QJsonArray blocks = root.value("blocks").toArray();
    for (int i = 0; i < blocks.size(); ++i) {
        fragment.blocks.push_back(parseBlock(blocks[i], "blocks[" + std::to_string(i) + "]", known));
        ND_CHECK(ids.insert(fragment.blocks.back().id).second, "clipboard: blocks[", i, "].id '",
            fragment.blocks.back().id, "' appears twice");
    }
    const QJsonArray connections = root.value("connections").toArray();
    for (int i = 0; i < connections.size(); ++i) {
        const std::string where = "connections[" + std::to_string(i) + "]";
        const QJsonObject object = connections[i].toObject();
        engine::Connection c { parsePort(object.value("from"), where + ".from"),
            parsePort(object.value("to"), where + ".to") };
        ND_CHECK(ids.count(c.from.block) && ids.count(c.to.block), "clipboard: ", where,
            " joins blocks that are not in the clipboard");
        fragment.connections.push_back(c);
    }
    return fragment;
}

} // namespace netdraft::editor
