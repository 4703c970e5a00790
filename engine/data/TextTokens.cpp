#include "engine/data/TextTokens.h"

#include "engine/core/Error.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace netdraft::engine {
namespace {

/// The length of the UTF-8 sequence starting at `at`, or 0 when it is not valid there.
size_t utf8Length(std::string_view text, size_t at)
{
    const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    size_t length = 0;
    uint32_t minimum = 0;
    uint32_t code = 0;
    if (lead < 0x80)
        return 1;
    if ((lead & 0xE0) == 0xC0) {
        length = 2, minimum = 0x80, code = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3, minimum = 0x800, code = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4, minimum = 0x10000, code = lead & 0x07;
    } else {
        return 0;
    }
    if (at + length > text.size())
        return 0;
    for (size_t i = 1; i < length; ++i) {
        if ((byte(at + i) & 0xC0) != 0x80)
            return 0;
        code = (code << 6) | (byte(at + i) & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if (code < minimum || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF)
        return 0;
    return length;
}

std::string hexByte(unsigned char value)
{
    char text[8];
    std::snprintf(text, sizeof text, "0x%02X", value);
    return text;
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

} // namespace

TextUnit textUnitNamed(const std::string& name)
{
    if (name == "characters")
        return TextUnit::Characters;
    ND_CHECK(name == "words", "text_unit: expected characters or words, got '", name, "'");
    return TextUnit::Words;
}

void checkUtf8Text(std::string_view text, const std::string& source)
{
    for (size_t at = 0; at < text.size();) {
        ND_CHECK(text[at] != '\0', source, ", byte ", at, ": a NUL byte; this looks like a binary file, not text");
        const size_t length = utf8Length(text, at);
        ND_CHECK(length > 0, source, ", byte ", at, ": ", hexByte(static_cast<unsigned char>(text[at])),
            " is not UTF-8 here; save the file as UTF-8");
        at += length;
    }
}

std::vector<std::string> tokenize(std::string_view text, TextUnit unit)
{
    std::vector<std::string> tokens;
    if (unit == TextUnit::Characters) {
        for (size_t at = 0; at < text.size();) {
            const size_t length = std::max<size_t>(1, utf8Length(text, at));
            tokens.emplace_back(text.substr(at, length));
            at += length;
        }
        return tokens;
    }
    size_t at = 0;
    while (at < text.size()) {
        while (at < text.size() && isSpace(text[at]))
            ++at;
        const size_t start = at;
        while (at < text.size() && !isSpace(text[at]))
            ++at;
        if (at > start)
            tokens.emplace_back(text.substr(start, at - start));
    }
    return tokens;
}

int64_t Vocabulary::idOf(const std::string& token) const
{
    auto found = ids.find(token);
    return found == ids.end() ? kUnknown : found->second;
}

std::vector<std::string> Vocabulary::displayNames() const
{
    std::vector<std::string> names;
    for (const std::string& token : tokens)
        names.push_back(token == " " ? "␣" : token == "\n" ? "\\n" : token == "\t" ? "\\t" : token);
    return names;
}

namespace {

/// The reserved ids, then the counted tokens by falling count (ties in byte order: the map's order).
Vocabulary rankedVocabulary(const std::map<std::string, int64_t>& counts)
{
    std::vector<std::pair<std::string, int64_t>> ranked(counts.begin(), counts.end());
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    Vocabulary vocabulary;
    vocabulary.tokens = { "<pad>", "<unk>" };
    for (const auto& [token, count] : ranked)
        vocabulary.tokens.push_back(token);
    for (size_t id = 0; id < vocabulary.tokens.size(); ++id)
        vocabulary.ids.emplace(vocabulary.tokens[id], static_cast<int64_t>(id));
    return vocabulary;
}

/// A language model's data: its classes are its vocabulary, so its targets are token ids too.
bool targetsAreTokens(const InMemoryDataset& data)
{
    Vocabulary vocabulary;
    vocabulary.tokens = data.vocabulary;
    return vocabulary.displayNames() == data.classNames;
}

} // namespace

Vocabulary buildVocabulary(const std::vector<std::string>& tokens)
{
    std::map<std::string, int64_t> counts;
    for (const std::string& token : tokens)
        ++counts[token];
    return rankedVocabulary(counts);
}

Vocabulary vocabularyOfSamples(const InMemoryDataset& data, const torch::Tensor& indices)
{
    const int64_t known = static_cast<int64_t>(data.vocabulary.size());
    std::vector<int64_t> idCounts(static_cast<size_t>(known), 0);
    const auto count = [&](int64_t id) {
        ND_CHECK(id >= 0 && id < known, "text: token id ", id, " is outside the vocabulary of ", known);
        ++idCounts[static_cast<size_t>(id)];
    };
    // Read in place: a large text's windows are not copied to be counted.
    const torch::Tensor inputs = data.inputs.contiguous();
    const torch::Tensor targets = data.targets.contiguous();
    const torch::Tensor rows = indices.to(torch::kInt64).contiguous();
    const int64_t length = inputs.numel() / std::max<int64_t>(1, data.size());
    const bool countTargets = targetsAreTokens(data);
    for (int64_t i = 0; i < rows.numel(); ++i) {
        const int64_t row = rows.data_ptr<int64_t>()[i];
        const int64_t* ids = inputs.data_ptr<int64_t>() + row * length;
        for (int64_t t = 0; t < length; ++t)
            count(ids[t]);
        if (countTargets)
            count(targets.data_ptr<int64_t>()[row]);
    }
    std::map<std::string, int64_t> counts;
    for (int64_t id = 0; id < known; ++id)
        if (id != Vocabulary::kPad && id != Vocabulary::kUnknown && idCounts[static_cast<size_t>(id)] > 0)
            counts[data.vocabulary[static_cast<size_t>(id)]] = idCounts[static_cast<size_t>(id)];
    return rankedVocabulary(counts);
}

void renumberTokens(InMemoryDataset& data, const Vocabulary& vocabulary)
{
    std::vector<int64_t> newId(data.vocabulary.size(), Vocabulary::kUnknown);
    for (size_t id = 0; id < data.vocabulary.size(); ++id)
        newId[id] = vocabulary.idOf(data.vocabulary[id]);
    const auto renumber = [&](torch::Tensor& ids) {
        ids = ids.contiguous();
        int64_t* values = ids.data_ptr<int64_t>();
        for (int64_t i = 0; i < ids.numel(); ++i) {
            ND_CHECK(values[i] >= 0 && values[i] < static_cast<int64_t>(newId.size()), "text: token id ", values[i],
                " is outside the vocabulary of ", newId.size());
            values[i] = newId[static_cast<size_t>(values[i])];
        }
    };
    renumber(data.inputs);
    if (targetsAreTokens(data)) {
        renumber(data.targets);
        data.classNames = vocabulary.displayNames();
    }
    const std::string before = ", vocabulary " + std::to_string(data.vocabulary.size());
    const size_t at = data.description.find(before);
    if (at != std::string::npos && vocabulary.tokens.size() != data.vocabulary.size())
        data.description.replace(at, before.size(), ", vocabulary " + std::to_string(vocabulary.size()));
    data.vocabulary = vocabulary.tokens;
}

InMemoryDataset nextTokenSamples(const std::vector<std::string>& tokens, int64_t length, int64_t maxSamples)
{
    ND_CHECK(length >= 1, "text: the sequence length must be at least 1, got ", length);
    const int64_t windows = static_cast<int64_t>(tokens.size()) - length;
    ND_CHECK(windows >= 1, "text: ", tokens.size(), " tokens are too few for windows of ", length,
        " tokens and the token after them; use a longer text or a shorter Input shape");
    const int64_t stride = (windows + maxSamples - 1) / maxSamples;
    const int64_t samples = (windows + stride - 1) / stride;
    const Vocabulary vocabulary = buildVocabulary(tokens);
    std::vector<int64_t> ids(tokens.size());
    for (size_t i = 0; i < tokens.size(); ++i)
        ids[i] = vocabulary.idOf(tokens[i]);
    InMemoryDataset data;
    data.inputs = torch::empty({ samples, length }, torch::kInt64);
    data.targets = torch::empty({ samples }, torch::kInt64);
    int64_t* inputs = data.inputs.data_ptr<int64_t>();
    int64_t* targets = data.targets.data_ptr<int64_t>();
    for (int64_t s = 0; s < samples; ++s) {
        const int64_t start = s * stride;
        std::copy(ids.begin() + start, ids.begin() + start + length, inputs + s * length);
        targets[s] = ids[start + length];
    }
    data.classNames = vocabulary.displayNames();
    data.vocabulary = vocabulary.tokens;
    return data;
}

InMemoryDataset lineLabelSamples(std::string_view text, TextUnit unit, int64_t length, const std::string& source)
{
    ND_CHECK(length >= 1, "text: the sequence length must be at least 1, got ", length);
    std::vector<std::string> labels;
    std::vector<std::vector<std::string>> lineTokens;
    std::vector<std::string> allTokens;
    int64_t lineNumber = 0;
    for (size_t start = 0; start < text.size();) {
        size_t end = text.find('\n', start);
        end = end == std::string_view::npos ? text.size() : end;
        std::string_view line = text.substr(start, end - start);
        start = end + 1;
        ++lineNumber;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (tokenize(line, TextUnit::Words).empty())
            continue;
        const size_t tab = line.find('\t');
        ND_CHECK(tab != std::string_view::npos && tab > 0, source, ", line ", lineNumber,
            ": expected label<TAB>text (text_task line_labels), got no label before a tab");
        labels.emplace_back(line.substr(0, tab));
        lineTokens.push_back(tokenize(line.substr(tab + 1), unit));
        allTokens.insert(allTokens.end(), lineTokens.back().begin(), lineTokens.back().end());
    }
    ND_CHECK(!labels.empty(), source, ": no lines of the form label<TAB>text");
    std::vector<std::string> classes = labels;
    std::sort(classes.begin(), classes.end());
    classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
    ND_CHECK(classes.size() >= 2, source, ": every line has the label '", classes.front(),
        "'; classification needs at least 2 labels");
    const Vocabulary vocabulary = buildVocabulary(allTokens);
    const int64_t samples = static_cast<int64_t>(labels.size());
    InMemoryDataset data;
    data.inputs = torch::full({ samples, length }, Vocabulary::kPad, torch::kInt64);
    data.targets = torch::empty({ samples }, torch::kInt64);
    int64_t* inputs = data.inputs.data_ptr<int64_t>();
    int64_t* targets = data.targets.data_ptr<int64_t>();
    for (int64_t s = 0; s < samples; ++s) {
        const auto& line = lineTokens[s];
        for (int64_t t = 0; t < std::min<int64_t>(length, static_cast<int64_t>(line.size())); ++t)
            inputs[s * length + t] = vocabulary.idOf(line[t]);
        targets[s] = std::lower_bound(classes.begin(), classes.end(), labels[s]) - classes.begin();
    }
    data.classNames = classes;
    data.vocabulary = vocabulary.tokens;
    data.description = std::to_string(samples) + " lines, vocabulary " + std::to_string(vocabulary.size()) + ", "
        + std::to_string(classes.size()) + " labels";
    return data;
}

} // namespace netdraft::engine
