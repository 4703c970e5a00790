#include "engine/io/StrictJsonParser.h"

#include "engine/io/JsonDepthGuard.h"

#include <cmath>
#include <unordered_set>

namespace netdraft::engine {

namespace {

/// Follows the parser's events to know the path of the value being read.
class PathTracker {
public:
    explicit PathTracker(std::vector<Problem>& problems)
        : problems_(problems)
    {
    }

    bool onEvent(Json::parse_event_t event, const Json& parsed)
    {
        switch (event) {
        case Json::parse_event_t::object_start:
        case Json::parse_event_t::array_start:
            startElement();
            frames_.push_back({ event == Json::parse_event_t::object_start });
            break;
        case Json::parse_event_t::object_end:
        case Json::parse_event_t::array_end:
            frames_.pop_back();
            break;
        case Json::parse_event_t::key: {
            Frame& frame = frames_.back();
            frame.key = parsed.get<std::string>();
            if (!frame.keys.insert(frame.key).second)
                problems_.push_back({ containerPath(), "key \"" + frame.key + "\" appears more than once" });
            break;
        }
        case Json::parse_event_t::value:
            startElement();
            if (parsed.is_number_float() && !std::isfinite(parsed.get<double>()))
                problems_.push_back({ valuePath(), "number is out of range for a double" });
            break;
        }
        return true;
    }

    /// Where the value being parsed goes: the parser throws before reporting a value it cannot read.
    std::string pendingPath() const
    {
        if (frames_.empty())
            return "$";
        const Frame& top = frames_.back();
        const std::string container = containerPath();
        return top.isObject ? childPath(container, top.key) : indexPath(container, top.elements);
    }

private:
    struct Frame {
        bool isObject = false;
        std::string key; ///< objects: the key being read
        size_t elements = 0; ///< arrays: elements started so far
        std::unordered_set<std::string> keys;
    };

    void startElement()
    {
        if (!frames_.empty() && !frames_.back().isObject)
            ++frames_.back().elements;
    }

    std::string pathOf(size_t frameCount) const
    {
        std::string path = "$";
        for (size_t i = 0; i < frameCount; ++i)
            path = frames_[i].isObject ? childPath(path, frames_[i].key) : indexPath(path, frames_[i].elements - 1);
        return path;
    }
    std::string containerPath() const { return pathOf(frames_.size() - 1); }
    std::string valuePath() const { return pathOf(frames_.size()); }

    std::vector<Problem>& problems_;
    std::vector<Frame> frames_;
};

/// nlohmann's reason without its "[json.exception...] parse error at line 1, column 3: " prefix,
/// with non-ASCII bytes escaped because the text around an error may be invalid UTF-8.
std::string parseErrorReason(const std::string& what)
{
    const size_t start = what.find(": ");
    std::string reason = start == std::string::npos ? what : what.substr(start + 2);
    std::string clean;
    for (unsigned char c : reason) {
        if (c < 0x80) {
            clean += static_cast<char>(c);
        } else {
            static const char* digits = "0123456789ABCDEF";
            clean += std::string("\\x") + digits[c >> 4] + digits[c & 15];
        }
    }
    return clean;
}

} // namespace

bool parseStrictJson(std::string_view text, int maxNesting, Json& root, std::vector<Problem>& problems)
{
    if (auto offset = findExcessiveNesting(text, maxNesting)) {
        problems.push_back({ "",
            "arrays and objects are nested more than " + std::to_string(maxNesting) + " levels deep at "
                + describeOffset(text, *offset) });
        return false;
    }
    const size_t before = problems.size();
    PathTracker tracker(problems);
    try {
        root = Json::parse(text.begin(), text.end(),
            [&tracker](int, Json::parse_event_t event, Json& parsed) { return tracker.onEvent(event, parsed); });
    } catch (const Json::parse_error& error) {
        // error.byte counts the characters read, the offending one included.
        const size_t offset = error.byte > 0 ? error.byte - 1 : 0;
        problems.resize(before);
        problems.push_back(
            { "", "not valid JSON at " + describeOffset(text, offset) + ": " + parseErrorReason(error.what()) });
        return false;
    } catch (const Json::out_of_range& error) {
        // nlohmann 3.11 refuses numbers beyond a double ("number overflow parsing '1e500'", id 406).
        const std::string what = error.what();
        const size_t start = what.find('\'');
        const size_t end = what.rfind('\'');
        const std::string literal
            = start != std::string::npos && end > start ? " " + what.substr(start + 1, end - start - 1) : "";
        problems.resize(before);
        problems.push_back({ tracker.pendingPath(), "number" + literal + " is out of range for a double" });
        return false;
    }
    return problems.size() == before;
}

} // namespace netdraft::engine
