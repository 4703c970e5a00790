// Malformed and hostile project files: each is refused with a clear message naming the place,
// and none crashes, hangs or allocates what it claims.

#include "engine/graph/GraphBuilder.h"
#include "engine/io/ProjectFormat.h"
#include "tests/support/TestRegistry.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>
#include <random>

using namespace netdraft::engine;
namespace fs = std::filesystem;

namespace {

/// A small valid project: Input → Conv2d → ReLU → Output.
std::string validText()
{
    GraphBuilder builder;
    builder.input({ 3, 8, 8 }).then("Conv2d", {}, "conv").then("ReLU", {}, "relu").output();
    Project project;
    project.name = "small";
    project.graph = builder.graph();
    return serializeProject(project);
}

/// A version 1 header around `rest` (which starts with a comma or is empty).
std::string withHeader(const std::string& rest)
{
    return R"({"format": "netdraft", "version": 1)" + rest + "}";
}

std::string withGraph(const std::string& blocks, const std::string& more = {})
{
    return withHeader(R"(, "graph": {"blocks": [)" + blocks + R"(], "connections": []})" + more);
}

std::string repeat(const std::string& part, size_t times)
{
    std::string text;
    text.reserve(part.size() * times);
    for (size_t i = 0; i < times; ++i)
        text += part;
    return text;
}

/// The message of the error parseProject throws, or a failure note when it loads or throws anything else.
std::string loadError(const std::string& text)
{
    try {
        parseProject(text, "hostile.netdraft");
    } catch (const ProjectLoadError& error) {
        if (error.problems().empty())
            return "FAILED: ProjectLoadError without problems";
        return error.what();
    } catch (const std::exception& error) {
        return std::string("FAILED: unexpected exception: ") + error.what();
    }
    return "FAILED: the text loaded";
}

} // namespace

class HostileInputTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void refusedWithAClearMessage_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        auto row = [](const char* name, const std::string& text, const char* expected) {
            QTest::newRow(name) << QByteArray(text.data(), static_cast<int>(text.size()))
                                << QString::fromUtf8(expected);
        };
        const std::string valid = validText();
        const std::string block = R"({"id": "input", "type": "Input", "params": {"shape": [3, 8, 8]}})";
        row("empty", "", "hostile.netdraft: is empty");
        row("only whitespace", " \n\t ", "hostile.netdraft: is empty");
        row("truncated in the middle", valid.substr(0, valid.size() / 2), "hostile.netdraft: not valid JSON at byte ");
        row("truncated after the brace", "{", "not valid JSON at byte 1 (line 1, column 2)");
        row("syntax error on line 3", "{\n  \"format\": \"netdraft\",\n  \"version\": tru\n}",
            "not valid JSON at byte 42 (line 3, column 17)");
        row("trailing garbage", valid + "x", "not valid JSON at byte");
        row("root is a list", "[]", "$: must be an object (a Netdraft project), got []");
        row("root is a number", "42", "$: must be an object (a Netdraft project), got 42");
        row("other format", R"({"format": "other", "version": 1})", "$.format: must be \"netdraft\", got \"other\"");
        row("missing format", R"({"version": 1})", "$: missing \"format\": this is not a Netdraft project");
        row("missing version", R"({"format": "netdraft"})", "$: missing \"version\"");
        row("version as text", R"({"format": "netdraft", "version": "1"})", "$.version: must be an integer, got \"1\"");
        row("version as real", R"({"format": "netdraft", "version": 1.5})", "$.version: must be an integer, got 1.5");
        row("negative version", R"({"format": "netdraft", "version": -3})", "$.version: must be >= 0, got -3");
        row("version beyond uint64", R"({"format": "netdraft", "version": 100000000000000000000})",
            "$.version: must be an integer, got 1e+20");
        row("version beyond int64", R"({"format": "netdraft", "version": 9223372036854775808})",
            "newer Netdraft (format version 9223372036854775808)");
        row("missing graph", withHeader(""), "$: missing \"graph\"");
        row("graph is a number", withHeader(R"(, "graph": 5)"), "$.graph: must be an object, got 5");
        row("blocks is an object", withHeader(R"(, "graph": {"blocks": {}, "connections": []})"),
            "$.graph.blocks: must be a list, got an empty object");
        row("block is a string", withGraph(R"("conv1")"), "$.graph.blocks[0]: must be an object, got \"conv1\"");
        row("params is a list", withGraph(R"({"id": "a", "type": "ReLU", "params": []})"),
            "$.graph.blocks[0].params: must be an object, got []");
        row("param is null", withGraph(R"({"id": "c", "type": "Conv2d", "params": {"kernel_size": null}})"),
            "block c: kernel_size must be an integer or a list of 2 integers, got null");
        row("param is an object", withGraph(R"({"id": "c", "type": "Conv2d", "params": {"groups": {"a": 1}}})"),
            "block c: groups must be an integer, got an object");
        row("1e500 in a position", withGraph(R"({"id": "a", "type": "ReLU", "position": [1e500, 0]})"),
            "$.graph.blocks[0].position[0]: number 1e500 is out of range for a double");
        row("-1e500 as zoom", withGraph(block, R"(, "view": {"zoom": -1e500})"),
            "$.view.zoom: number -1e500 is out of range for a double");
        row("1e500 as a parameter", withGraph(R"({"id": "c", "type": "Conv2d", "params": {"stride": [1, 1e500]}})"),
            "$.graph.blocks[0].params.stride[1]: number 1e500 is out of range");
        row("NaN literal", withGraph(block, R"(, "view": {"zoom": NaN})"), "not valid JSON at byte");
        row("Infinity literal", withGraph(block, R"(, "view": {"zoom": Infinity})"), "not valid JSON at byte");
        row("integer above int64", withGraph(block, R"(, "training": {"epochs": 9223372036854775808})"),
            "$.training.epochs: must be an integer between -9223372036854775808 and 9223372036854775807, got "
            "9223372036854775808");
        row("integer below int64", withGraph(block, R"(, "training": {"seed": -9223372036854775809})"),
            "$.training.seed: must be an integer between -9223372036854775808 and 9223372036854775807");
        row("huge integer in a tuple",
            withGraph(R"({"id": "c", "type": "Conv2d", "params": {"kernel_size": [3, 100000000000000000000]}})"),
            "block c: kernel_size must be an integer or a list of 2 integers between");
        row("invalid UTF-8 in a string", withHeader(", \"name\": \"caf\xC3\x28\""), "ill-formed UTF-8 byte");
        row("overlong UTF-8 encoding", withHeader(", \"name\": \"\xC0\xAF\""), "ill-formed UTF-8 byte");
        row("invalid UTF-8 outside strings", "\xFF{}", "not valid JSON at byte 0 (line 1, column 1)");
        row("lone surrogate escape", withHeader(R"(, "name": "\uD800")"), "surrogate");
        row("raw control character", withHeader(", \"name\": \"a\x01z\""), "control character");
        row("NUL byte", std::string("{\"format\"\0: 1}", 14), "not valid JSON at byte 9");
        row("UTF-16 byte order mark", "\xFF\xFE{\0}\0", "hostile.netdraft: is UTF-16 text; save it as UTF-8");
        row("100,000 nested lists", repeat("[", 100000) + repeat("]", 100000),
            "nested more than 64 levels deep at byte 64 (line 1, column 65)");
        row("100,000 nested objects", repeat("{\"a\":", 100000) + "1" + repeat("}", 100000),
            "nested more than 64 levels deep at byte 320");
        row("unclosed deep nesting", repeat("[", 100000), "nested more than 64 levels deep");
        row("deep nesting in params",
            withGraph(R"({"id": "a", "type": "ReLU", "params": {"x": )" + repeat("[", 70) + repeat("]", 70) + "}}"),
            "nested more than 64 levels deep");
        row("duplicate key", R"({"format": "netdraft", "format": "netdraft", "version": 1})",
            "$: key \"format\" appears more than once");
        row("duplicate key in a block", withGraph(R"({"id": "a", "id": "b", "type": "ReLU"})"),
            "$.graph.blocks[0]: key \"id\" appears more than once");
        row("very long block id", withGraph(R"({"id": ")" + std::string(100000, 'a') + R"(", "type": "ReLU"})"),
            "is not a valid id");
        row("connection to a missing port",
            withHeader(R"(, "graph": {"blocks": [)" + block
                + R"(], "connections": [{"from": "input.out", "to": "input.in"}]})"),
            "$.graph.connections[0]: block input has no input port 'in' (input ports: none)");
        row("over 64 MiB", std::string(kMaxProjectFileBytes + 1, ' '),
            "hostile.netdraft: is 67108865 bytes; project files are at most 67108864 bytes");
    }

    void refusedWithAClearMessage()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        const std::string message = loadError(text.toStdString());
        QVERIFY2(message.find(expected.toStdString()) != std::string::npos,
            ("expected \"" + expected.toStdString() + "\" in: " + message.substr(0, 2000)).c_str());
    }

    void acceptsAUtf8ByteOrderMark()
    {
        const Project project = parseProject("\xEF\xBB\xBF" + validText(), "bom.netdraft");
        QCOMPARE(project.name, std::string("small"));
    }

    void bracketsInsideStringsAreNotNesting()
    {
        Project project = parseProject(validText(), "small");
        project.name = repeat("[{", 1000) + "\"\\" + repeat("[", 100);
        const Project loaded = parseProject(serializeProject(project), "brackets.netdraft");
        QCOMPARE(loaded.name, project.name);
    }

    void everyTruncationIsRefused()
    {
        const std::string valid = validText();
        for (size_t length = 0; length + 2 < valid.size(); ++length) {
            const std::string message = loadError(valid.substr(0, length));
            QVERIFY2(message.rfind("hostile.netdraft: ", 0) == 0, (std::to_string(length) + ": " + message).c_str());
        }
    }

    void randomByteChangesNeverCrash()
    {
        const std::string valid = validText();
        std::mt19937 random(12345);
        int refused = 0;
        for (int trial = 0; trial < 3000; ++trial) {
            std::string text = valid;
            for (int changes = 1 + trial % 3; changes > 0; --changes)
                text[random() % text.size()] = static_cast<char>(random() % 256);
            const std::string message = loadError(text);
            QVERIFY2(message.rfind("FAILED: unexpected", 0) != 0, message.c_str());
            refused += message.rfind("FAILED", 0) != 0;
        }
        QVERIFY(refused > 2000); // most changes break the file; the rest (e.g. in the name) load
    }

    void refusesFilesTooLargeToRead()
    {
        QTemporaryDir folder;
        const fs::path path = fs::path(folder.path().toStdString()) / "huge.netdraft";
        std::ofstream(path).close();
        fs::resize_file(path, 100ull * 1024 * 1024); // sparse: costs no disk and must not be read
        try {
            loadProjectFile(path.string());
            QFAIL("a 100 MiB file was read");
        } catch (const Error& error) {
            QCOMPARE(std::string(error.what()),
                "cannot open " + path.string() + ": it is 104857600 bytes; the limit is 67108864 bytes");
        }
        try {
            loadProjectFile("/dev/zero"); // no size to check up front: the limit applies while reading
            QFAIL("/dev/zero was read");
        } catch (const Error& error) {
            QCOMPARE(std::string(error.what()),
                std::string("cannot open /dev/zero: it is larger than the limit of "
                            "67108864 bytes"));
        }
    }

    void namesMissingFilesAndFolders()
    {
        QTemporaryDir folder;
        const std::string missing = folder.path().toStdString() + "/missing.netdraft";
        QVERIFY_THROWS_EXCEPTION(Error, loadProjectFile(missing));
        try {
            loadProjectFile(missing);
        } catch (const Error& error) {
            QCOMPARE(std::string(error.what()), "cannot open " + missing + ": no such file");
        }
        try {
            loadProjectFile(folder.path().toStdString());
        } catch (const Error& error) {
            QCOMPARE(std::string(error.what()),
                "cannot open " + folder.path().toStdString() + ": it is a folder, not a file");
        }
    }
};

NETDRAFT_TEST(HostileInputTest);
#include "HostileInputTest.moc"
