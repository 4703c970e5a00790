#include "engine/train/TextSampling.h"

#include "engine/core/Error.h"
#include "engine/data/SeededRandom.h"
#include "engine/data/TextTokens.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace netdraft::engine {
namespace {

torch::Device deviceOf(GraphModelImpl& model)
{
    const std::vector<torch::Tensor> parameters = model.parameters();
    return parameters.empty() ? torch::Device(torch::kCPU) : parameters.front().device();
}

/// The chosen id of one row of scores: the largest, or a draw from softmax(scores / temperature).
/// The padding and unknown ids are never chosen: no window of the data is followed by them.
int64_t choose(const double* scores, int64_t count, double temperature, SeededRandom& random)
{
    const int64_t first = count > Vocabulary::kUnknown + 1 ? Vocabulary::kUnknown + 1 : 0;
    const int64_t best = std::max_element(scores + first, scores + count) - scores;
    if (temperature <= 0.0)
        return best;
    std::vector<double> weights(static_cast<size_t>(count), 0.0);
    double total = 0.0;
    for (int64_t i = first; i < count; ++i)
        total += weights[i] = std::exp((scores[i] - scores[best]) / temperature);
    double draw = random.uniform() * total;
    for (int64_t i = first; i < count; ++i)
        if ((draw -= weights[i]) < 0.0)
            return i;
    return best;
}

std::string escaped(const std::string& text)
{
    std::string out;
    for (char c : text)
        out += c == '\n' ? std::string("\\n")
            : c == '\t'  ? std::string("\\t")
            : c == '"'   ? std::string("\\\"")
                         : std::string(1, c);
    return out;
}

} // namespace

bool isNextTokenData(const InMemoryDataset& data)
{
    if (data.vocabulary.empty() || data.classNames.size() != data.vocabulary.size() || !data.inputs.defined()
        || data.inputs.dim() != 2 || data.inputs.scalar_type() != torch::kInt64)
        return false;
    Vocabulary vocabulary;
    vocabulary.tokens = data.vocabulary;
    return vocabulary.displayNames() == data.classNames; // line labels are classes of their own
}

std::string joinTokens(const std::vector<int64_t>& ids, const std::vector<std::string>& vocabulary, bool words)
{
    std::string text;
    for (int64_t id : ids) {
        if (id == Vocabulary::kPad)
            continue;
        const bool known = id >= 0 && id < static_cast<int64_t>(vocabulary.size());
        if (words && !text.empty())
            text += ' ';
        text += known ? vocabulary[static_cast<size_t>(id)] : "<" + std::to_string(id) + ">";
    }
    return text;
}

std::vector<std::vector<int64_t>> continueTokens(
    GraphModelImpl& model, const torch::Tensor& prompts, int64_t tokens, double temperature, uint64_t seed)
{
    ND_CHECK(prompts.dim() == 2 && prompts.size(0) > 0 && prompts.size(1) > 0,
        "text sampling: prompts must be K×T token ids, got ", prompts.sizes());
    torch::NoGradGuard noGradients;
    model.eval();
    torch::Tensor window = prompts.to(deviceOf(model), torch::kInt64).clone();
    const int64_t rows = window.size(0);
    const int64_t length = window.size(1);
    std::vector<std::vector<int64_t>> generated(static_cast<size_t>(rows));
    SeededRandom random(mixSeed({ seed, 0x7e47 }));
    for (int64_t step = 0; step < tokens; ++step) {
        const torch::Tensor scores = model.forward(window).to(torch::kCPU, torch::kFloat64).contiguous();
        ND_CHECK(scores.dim() == 2 && scores.size(0) == rows,
            "text sampling: the model should give one row of token scores per window, got ", scores.sizes());
        const int64_t count = scores.size(1);
        torch::Tensor next = torch::empty({ rows, 1 }, torch::kInt64);
        for (int64_t row = 0; row < rows; ++row) {
            const int64_t id = choose(scores.data_ptr<double>() + row * count, count, temperature, random);
            generated[static_cast<size_t>(row)].push_back(id);
            next[row][0] = id;
        }
        window = torch::cat({ window.narrow(1, 1, length - 1), next.to(window.device()) }, 1);
    }
    return generated;
}

std::vector<SampledText> sampleText(
    GraphModelImpl& model, const InMemoryDataset& data, bool words, const TextSamplingOptions& options)
{
    ND_CHECK(isNextTokenData(data), "text sampling needs a language model's data (text_task next_token)");
    ND_CHECK(data.size() > 0, "text sampling: the data holds no windows to take prompts from");
    const int64_t count = std::min(std::max<int64_t>(options.samples, 1), data.size());
    torch::Tensor rows = torch::empty({ count }, torch::kInt64);
    for (int64_t i = 0; i < count; ++i)
        rows[i] = i * data.size() / count;
    const torch::Tensor prompts = data.inputs.index_select(0, rows);
    const auto generated = continueTokens(model, prompts, options.tokens, options.temperature, options.seed);
    std::vector<SampledText> samples;
    for (int64_t i = 0; i < count; ++i) {
        const torch::Tensor prompt = prompts[i].contiguous();
        const std::vector<int64_t> ids(prompt.data_ptr<int64_t>(), prompt.data_ptr<int64_t>() + prompt.numel());
        samples.push_back({ joinTokens(ids, data.vocabulary, words),
            (words ? " " : "") + joinTokens(generated[static_cast<size_t>(i)], data.vocabulary, words) });
    }
    return samples;
}

std::string sampleLine(size_t index, const SampledText& sample)
{
    return "sample " + std::to_string(index + 1) + ": \"…" + escaped(sample.prompt) + "\" → \""
        + escaped(sample.continuation) + "\"";
}

} // namespace netdraft::engine
