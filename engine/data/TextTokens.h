#pragma once
// Text as token ids for the text datasets: a UTF-8 check that names the first bad byte, characters or
// whitespace words as tokens, a vocabulary, and the two ways a text becomes samples (the next token
// after each window, or a label per line).

#include "engine/data/Dataset.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace netdraft::engine {

enum class TextUnit {
    Characters, ///< every Unicode character is a token (its UTF-8 bytes kept together)
    Words, ///< runs of non-whitespace are tokens; whitespace only separates them
};

/// "characters" or "words" (the dataset setting `text_unit`); throws Error for other words.
TextUnit textUnitNamed(const std::string& name);

/// Throws Error "<source>, byte N: …" at the first NUL byte (a binary file) or invalid UTF-8 sequence.
void checkUtf8Text(std::string_view text, const std::string& source);

/// The tokens of `text` (already checked UTF-8).
std::vector<std::string> tokenize(std::string_view text, TextUnit unit);

/// Token ↔ id. Id 0 pads short lines, id 1 stands for tokens the vocabulary lacks.
struct Vocabulary {
    static constexpr int64_t kPad = 0;
    static constexpr int64_t kUnknown = 1;
    std::vector<std::string> tokens; ///< by id: "<pad>", "<unk>", then the most frequent first
    std::unordered_map<std::string, int64_t> ids;

    int64_t idOf(const std::string& token) const;
    int64_t size() const { return static_cast<int64_t>(tokens.size()); }
    /// Tokens as class names and in messages: a space is "␣", a newline "\n", a tab "\t".
    std::vector<std::string> displayNames() const;
};

/// The vocabulary of `tokens`: the two reserved ids, then each distinct token by falling frequency
/// (ties in byte order), so that the same text always gives the same ids.
Vocabulary buildVocabulary(const std::vector<std::string>& tokens);

/// The vocabulary of the samples at `indices` (int64) of `data`, a text dataset: the tokens their ids
/// stand for (inputs without padding, and a language model's targets), ranked as buildVocabulary ranks
/// them, with each occurrence in those samples counted.
Vocabulary vocabularyOfSamples(const InMemoryDataset& data, const torch::Tensor& indices);

/// Renumbers `data`'s token ids (and a language model's targets and classes) from data.vocabulary into
/// `vocabulary`; a token `vocabulary` lacks becomes Vocabulary::kUnknown. The description's
/// "vocabulary N" follows.
void renumberTokens(InMemoryDataset& data, const Vocabulary& vocabulary);

/// Samples for a language model: every window of `length` tokens (stride 1; a larger stride when
/// there would be more than `maxSamples`) with the token that follows it as its class. The classes
/// are the whole vocabulary, so the network's output has vocabulary.size() values.
InMemoryDataset nextTokenSamples(const std::vector<std::string>& tokens, int64_t length, int64_t maxSamples);

/// Samples for classification from lines "label<TAB>text" (empty lines skipped): the text's tokens cut
/// or padded to `length`, the labels as classes in byte order. Throws Error naming the line without a tab.
InMemoryDataset lineLabelSamples(std::string_view text, TextUnit unit, int64_t length, const std::string& source);

} // namespace netdraft::engine
