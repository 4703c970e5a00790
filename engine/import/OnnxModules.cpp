#include "engine/import/OnnxModules.h"

#include "engine/graph/CompositeExpansion.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace netdraft::engine {

namespace {

bool isNumericName(const std::string& text)
{
    return !text.empty()
        && std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

} // namespace

std::string onnxModulePath(const std::string& nodeName)
{
    const size_t lastSlash = nodeName.rfind('/');
    if (lastSlash == std::string::npos || lastSlash == 0)
        return "";
    if (nodeName.front() != '/') { // Netdraft's own export: "<expanded block id>/<Op>_<n>"
        std::string id = nodeName.substr(0, lastSlash);
        const std::string separator = kCompositeIdSeparator;
        for (size_t at = id.find(separator); at != std::string::npos; at = id.find(separator, at + 1))
            id.replace(at, separator.size(), ".");
        return id;
    }
    // torch.onnx.export: one scope per module, each named by its attribute or, for children of a
    // container, "<container>.<index>" ("/layer1/layer1.0/conv1/Conv", "/features/features.1/conv/conv.0/…").
    std::string path;
    std::string previous;
    size_t start = 1;
    while (start < lastSlash) {
        const size_t end = nodeName.find('/', start);
        const std::string scope = nodeName.substr(start, end - start);
        start = end + 1;
        if (scope.empty())
            continue;
        std::string part = scope;
        if (!previous.empty() && scope.size() > previous.size() + 1 && scope.compare(0, previous.size(), previous) == 0
            && scope[previous.size()] == '.')
            part = scope.substr(previous.size() + 1);
        path += (path.empty() ? "" : ".") + part;
        previous = scope;
    }
    return path;
}

std::map<std::string, std::string> onnxModuleTypes(const std::vector<ImportedOp>& ops)
{
    std::map<std::string, std::set<std::string>> children;
    std::set<std::string> ownOps;
    for (const ImportedOp& op : ops) {
        if (op.modulePath.empty())
            continue;
        ownOps.insert(op.modulePath);
        std::string path = op.modulePath;
        for (size_t dot = path.rfind('.'); dot != std::string::npos; dot = path.rfind('.')) {
            children[path.substr(0, dot)].insert(path.substr(dot + 1));
            path = path.substr(0, dot);
        }
        children[path]; // the outermost module
        children[op.modulePath];
    }
    std::map<std::string, std::string> types;
    for (const auto& [path, names] : children) {
        const bool numbered = !names.empty()
            && std::all_of(names.begin(), names.end(), [](const std::string& name) { return isNumericName(name); });
        if (numbered && !ownOps.count(path)) {
            types[path] = "Sequential";
            continue;
        }
        std::string named = path;
        while (!named.empty()) {
            const size_t dot = named.rfind('.');
            const std::string last = dot == std::string::npos ? named : named.substr(dot + 1);
            if (!isNumericName(last))
                break;
            named = dot == std::string::npos ? "" : named.substr(0, dot);
        }
        const size_t dot = named.rfind('.');
        types[path]
            = (named.empty() ? std::string("module") : named.substr(dot == std::string::npos ? 0 : dot + 1)) + "_block";
    }
    return types;
}

} // namespace netdraft::engine
