#pragma once
// Text from a trained next-token language model: the model reads a window of token ids and scores
// the token after it; feeding its choice back in, window by window, continues a prompt.

#include "engine/data/Dataset.h"
#include "engine/model/GraphModel.h"
#include "engine/train/TextSamplingOptions.h"

#include <cstdint>
#include <string>
#include <vector>

namespace netdraft::engine {

/// A prompt from the data and what the model wrote after it, as text.
struct SampledText {
    std::string prompt;
    std::string continuation;
};

/// True for a language model's data: text whose classes are the tokens of its vocabulary.
bool isNextTokenData(const InMemoryDataset& data);

/// Token ids as text: characters joined as they are, words with a space between them; the padding
/// id writes nothing.
std::string joinTokens(const std::vector<int64_t>& ids, const std::vector<std::string>& vocabulary, bool words);

/// Continues every row of `prompts` (K×T token ids, T the model's window) by `tokens` ids: each step
/// runs the model on the last T ids in eval mode and appends the greedy or drawn choice. Returns
/// K rows of the generated ids only. The model is left in eval mode.
std::vector<std::vector<int64_t>> continueTokens(
    GraphModelImpl& model, const torch::Tensor& prompts, int64_t tokens, double temperature = 0.0, uint64_t seed = 0);

/// `options.samples` prompts spread evenly over `data` (its windows), each continued as text.
/// Throws Error when `data` is not next-token text (isNextTokenData) or holds no windows.
std::vector<SampledText> sampleText(
    GraphModelImpl& model, const InMemoryDataset& data, bool words, const TextSamplingOptions& options);

/// A log line: 'sample 2: "…bob at no" → "on. eve calls dan today."' (spaces kept, newlines as \n).
std::string sampleLine(size_t index, const SampledText& sample);

} // namespace netdraft::engine
