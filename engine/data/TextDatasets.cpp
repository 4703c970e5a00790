// The text dataset kinds: "text" reads a UTF-8 file (a language model's next token after each window,
// or "label<TAB>text" lines to classify), "grammar_text" generates sentences of a small grammar so that
// the text examples train without downloads. The Input block's shape [T] sets the window length.

#include "engine/core/Error.h"
#include "engine/data/DatasetRegistry.h"
#include "engine/data/FileBytes.h"
#include "engine/data/SeededRandom.h"
#include "engine/data/TextTokens.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>

namespace netdraft::engine {
namespace {

/// Most windows a text file gives; a longer text is read with a stride (every second window, …).
constexpr int64_t kMaxTextSamples = 1000000;

/// T of the Input block's [T]: token ids, one row per sample.
int64_t sequenceLength(const DatasetRequest& request, const char* kind)
{
    const auto& shape = request.expected.inputShape;
    ND_CHECK(shape.size() == 1, kind, ": a sample is a sequence of token ids, so the Input block's shape must be ",
        "[sequence length] (with dtype int64), got [", [&] {
            std::string text;
            for (size_t i = 0; i < shape.size(); ++i)
                text += (i ? ", " : "") + std::to_string(shape[i]);
            return text;
        }(), "]");
    return shape.front();
}

std::string describe(const std::string& what, const InMemoryDataset& data, int64_t length, TextUnit unit)
{
    return what + ", " + std::to_string(data.size()) + " windows of " + std::to_string(length)
        + (unit == TextUnit::Words ? " words" : " characters") + ", vocabulary " + std::to_string(data.classNames.size());
}

LoadedDataset loadText(const DatasetRequest& request)
{
    ND_CHECK(!request.path.empty(), "text: set the dataset path to a UTF-8 text file (.txt)");
    const FileBytes file = readFileBytes(request.path);
    const std::string_view text(reinterpret_cast<const char*>(file.bytes.data()), file.bytes.size());
    checkUtf8Text(text, request.path);
    const TextUnit unit = textUnitNamed(request.spec.textUnit);
    const int64_t length = sequenceLength(request, "text");
    const std::string name = std::filesystem::path(request.path).filename().string();
    if (request.spec.textTask == "line_labels") {
        InMemoryDataset data = lineLabelSamples(text, unit, length, request.path);
        data.description = name + ", " + data.description;
        return { std::move(data), std::nullopt };
    }
    ND_CHECK(request.spec.textTask == "next_token", "text_task: expected next_token or line_labels, got '",
        request.spec.textTask, "'");
    InMemoryDataset data = nextTokenSamples(tokenize(text, unit), length, kMaxTextSamples);
    data.description = describe(name, data, length, unit);
    return { std::move(data), std::nullopt };
}

/// A file named *.txt (any case), or *.txt.gz: readFileBytes gunzips it.
bool isTextFile(const std::string& path)
{
    std::string name = std::filesystem::path(path).filename().string();
    std::transform(
        name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto endsWith = [&](const std::string& suffix) {
        return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return isFile(path) && (endsWith(".txt") || endsWith(".txt.gz"));
}

/// One sentence: "<name> <verb> <name> <when>." A name is followed by a verb, a verb by a name, and the
/// last word by a full stop, so most characters follow from the ones before them.
std::string drawSentence(SeededRandom& random)
{
    static const std::array<const char*, 6> names { "ada", "bob", "cleo", "dan", "eve", "finn" };
    static const std::array<const char*, 4> verbs { "sees", "helps", "meets", "calls" };
    static const std::array<const char*, 4> times { "today", "again", "at noon", "at night" };
    std::string sentence = names[random.below(names.size())];
    sentence += std::string(" ") + verbs[random.below(verbs.size())];
    sentence += std::string(" ") + names[random.below(names.size())];
    sentence += std::string(" ") + times[random.below(times.size())] + ". ";
    return sentence;
}

LoadedDataset loadGrammarText(const DatasetRequest& request)
{
    const int64_t samples = request.spec.samples;
    ND_CHECK(samples > 0, "grammar_text: samples must be positive, got ", samples);
    const TextUnit unit = textUnitNamed(request.spec.textUnit);
    const int64_t length = sequenceLength(request, "grammar_text");
    SeededRandom random(mixSeed({ static_cast<uint64_t>(request.spec.generatorSeed), 0x7e47 }));
    std::vector<std::string> tokens;
    while (static_cast<int64_t>(tokens.size()) < samples + length) {
        const std::string sentence = drawSentence(random);
        for (std::string& token : tokenize(sentence, unit))
            tokens.push_back(std::move(token));
    }
    tokens.resize(static_cast<size_t>(samples + length)); // exactly `samples` windows
    InMemoryDataset data = nextTokenSamples(tokens, length, samples);
    data.description = describe("Grammar text", data, length, unit);
    return { std::move(data), std::nullopt };
}

NETDRAFT_REGISTER_DATASET("grammar_text", 60, loadGrammarText);
NETDRAFT_REGISTER_DATASET("text", 170, loadText, DatasetFiles { "a UTF-8 .txt file", isTextFile });

} // namespace
} // namespace netdraft::engine
