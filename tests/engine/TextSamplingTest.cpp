// Sampled text from a trained language model: the LSTM and GPT examples, trained on a text that
// repeats one paragraph of the grammar, continue a prompt greedily exactly as the paragraph goes on
// (the reference is the paragraph itself); temperature draws repeat with their seed; a training
// session logs the samples and writes the vocabulary beside the weights.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/data/TextTokens.h"
#include "engine/io/ProjectFormat.h"
#include "engine/model/GraphModel.h"
#include "engine/train/TextSampling.h"
#include "engine/train/TrainingSession.h"
#include "tests/support/TestRegistry.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <regex>
#include <set>

using namespace netdraft::engine;

namespace {

/// One paragraph of the grammar with all 20 of its characters, in which every window of 24
/// characters occurs once, so the character after each window is certain.
const std::string kSamplingParagraph
    = "ada sees bob at noon. finn helps cleo at night. eve meets dan today. dan calls eve again. ";
constexpr int64_t kSamplingWindow = 24;

Project samplingExample(const std::string& name)
{
    return loadProjectFile(std::string(NETDRAFT_SOURCE_DIR) + "/projects/" + name);
}

/// Every window of the repeating paragraph once, with the character after it.
InMemoryDataset paragraphWindows()
{
    const std::string text = kSamplingParagraph + kSamplingParagraph.substr(0, kSamplingWindow);
    return nextTokenSamples(tokenize(text, TextUnit::Characters), kSamplingWindow, 1000000);
}

/// Full-batch Adam until every window's next character is right (or `steps` run out).
void trainUntilExact(GraphModelImpl& model, const InMemoryDataset& data, double learningRate, int steps)
{
    torch::manual_seed(3);
    torch::optim::Adam optimizer(model.parameters(), torch::optim::AdamOptions(learningRate));
    model.train();
    for (int step = 0; step < steps; ++step) {
        optimizer.zero_grad();
        const torch::Tensor scores = model.forward(data.inputs);
        torch::nn::functional::cross_entropy(scores, data.targets).backward();
        optimizer.step();
        if (step % 20 == 19 && scores.argmax(1).eq(data.targets).all().item<bool>())
            break;
    }
}

/// What follows `prompt` in the repeating paragraph: the independent reference.
std::string paragraphAfter(const std::string& prompt, size_t length)
{
    std::string repeated;
    while (repeated.size() < prompt.size() + length + 2 * kSamplingParagraph.size())
        repeated += kSamplingParagraph;
    const size_t at = repeated.find(prompt);
    return at == std::string::npos ? "(prompt not in the paragraph)" : repeated.substr(at + prompt.size(), length);
}

} // namespace

class TextSamplingTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void greedyTextFollowsTheParagraph_data()
    {
        QTest::addColumn<QString>("project");
        QTest::addColumn<double>("learningRate");
        QTest::newRow("LSTM example") << "char_lm_grammar.netdraft" << 0.01;
        QTest::newRow("GPT example") << "gpt_char_grammar.netdraft" << 0.003;
    }

    void greedyTextFollowsTheParagraph()
    {
        QFETCH(QString, project);
        QFETCH(double, learningRate);
        const Project example = samplingExample(project.toStdString());
        GraphModel model = buildModel(example.graph, 1);
        const InMemoryDataset data = paragraphWindows();
        QCOMPARE(data.vocabulary.size(), size_t(22)); // the examples' Embedding and Linear sizes
        QVERIFY(isNextTokenData(data));
        TextSamplingOptions options;
        options.samples = 4;
        options.tokens = 60;

        const std::vector<SampledText> untrained = sampleText(*model, data, false, options);
        QVERIFY(untrained.at(0).continuation != paragraphAfter(untrained.at(0).prompt, 60)); // the check can fail

        trainUntilExact(*model, data, learningRate, 600);
        const std::vector<SampledText> samples = sampleText(*model, data, false, options);
        QCOMPARE(samples.size(), size_t(4));
        std::set<std::string> prompts;
        for (const SampledText& sample : samples) {
            QCOMPARE(sample.prompt.size(), size_t(kSamplingWindow));
            QCOMPARE(sample.continuation, paragraphAfter(sample.prompt, 60));
            prompts.insert(sample.prompt);
        }
        QCOMPARE(prompts.size(), size_t(4)); // spread over the data, not one prompt four times
    }

    void temperatureDrawsRepeatWithTheirSeed()
    {
        GraphModel model = buildModel(samplingExample("char_lm_grammar.netdraft").graph, 1);
        const InMemoryDataset data = paragraphWindows();
        const torch::Tensor prompt = data.inputs.narrow(0, 0, 2);
        const auto first = continueTokens(*model, prompt, 30, 1.0, 5);
        QCOMPARE(continueTokens(*model, prompt, 30, 1.0, 5), first);
        QVERIFY(continueTokens(*model, prompt, 30, 1.0, 6) != first);
        // A tiny temperature draws the most likely token, as greedy picks it.
        QCOMPARE(continueTokens(*model, prompt, 30, 1e-6, 5), continueTokens(*model, prompt, 30, 0.0, 0));
        for (const auto& row : first)
            for (int64_t id : row) // the padding and unknown ids never follow a window
                QVERIFY(id >= 2 && id < 22);
    }

    void joinsCharactersAndWords()
    {
        const std::vector<std::string> vocabulary { "<pad>", "<unk>", "ada", "sees", "\n" };
        QCOMPARE(joinTokens({ 0, 2, 3, 2 }, vocabulary, true), std::string("ada sees ada"));
        QCOMPARE(joinTokens({ 2, 4, 3, 9 }, vocabulary, false), std::string("ada\nsees<9>"));
        QCOMPARE(sampleLine(1, { "a\nb", " c\"" }), std::string("sample 2: \"…a\\nb\" → \" c\\\"\""));
    }

    void onlyLanguageModelDataIsSampled()
    {
        QVERIFY(isNextTokenData(paragraphWindows()));
        const InMemoryDataset labelled
            = lineLabelSamples("yes\tada sees bob\nno\tbob sees ada\n", TextUnit::Words, 4, "t");
        QVERIFY(!labelled.vocabulary.empty());
        QVERIFY(!isNextTokenData(labelled)); // its classes are labels, not the vocabulary
        InMemoryDataset shapes = paragraphWindows();
        shapes.vocabulary.clear();
        QVERIFY(!isNextTokenData(shapes));
        GraphModel model = buildModel(samplingExample("char_lm_grammar.netdraft").graph, 1);
        try {
            sampleText(*model, labelled, true, {});
            QFAIL("sampled text from labelled lines");
        } catch (const Error& error) {
            QCOMPARE(std::string(error.what()),
                std::string("text sampling needs a language model's data (text_task next_token)"));
        }
    }

    /// The GPT example for one short epoch through the session the CLI and the app use.
    void sessionLogsSamplesAndWritesTheVocabulary()
    {
        Project project = samplingExample("gpt_char_grammar.netdraft");
        project.dataset.samples = 300;
        project.training.epochs = 1;
        QTemporaryDir folder;
        TrainingSession session(project, NETDRAFT_SOURCE_DIR "/projects", folder.path().toStdString());
        TextSamplingOptions options;
        options.samples = 2;
        options.tokens = 12;
        session.setTextSampling(options);
        std::vector<std::string> log;
        std::string reason;
        SessionCallbacks callbacks;
        callbacks.onLog = [&](const std::string& line) { log.push_back(line); };
        callbacks.onFinished = [&](const SessionOutcome& outcome) {
            reason = outcome.stopReason;
            QCOMPARE(outcome.vocabulary.size(), size_t(22));
        };
        session.setCallbacks(callbacks);
        session.start();
        QCOMPARE(reason, std::string("completed"));
        QVERIFY(log.size() >= 3);
        QCOMPARE(
            log[log.size() - 3], std::string("Sampled text (greedy, 12 characters after prompts from the test part):"));
        const std::regex sample(R"(  sample [12]: "…[a-z. ]{24}" → "[a-z. ]{12}")");
        QVERIFY2(std::regex_match(log[log.size() - 2], sample), log[log.size() - 2].c_str());
        QVERIFY2(std::regex_match(log[log.size() - 1], sample), log[log.size() - 1].c_str());

        std::ifstream file(folder.filePath("vocabulary.json").toStdString());
        const nlohmann::json vocabulary = nlohmann::json::parse(file);
        QCOMPARE(vocabulary.at("text_unit").get<std::string>(), std::string("characters"));
        const auto tokens = vocabulary.at("tokens").get<std::vector<std::string>>();
        QCOMPARE(tokens.size(), size_t(22));
        QCOMPARE(tokens[0], std::string("<pad>"));
        QCOMPARE(tokens[1], std::string("<unk>"));
        QCOMPARE(std::set<std::string>(tokens.begin() + 2, tokens.end()), [] {
            std::set<std::string> characters; // those of the grammar's words
            for (char c : kSamplingParagraph)
                characters.insert(std::string(1, c));
            return characters;
        }());
        QCOMPARE(tokens[2], std::string(" ")); // the most frequent character first
    }

    void otherProjectsLogNoSamples()
    {
        Project project = samplingExample("mlp_spirals.netdraft");
        project.dataset.samples = 200;
        project.training.epochs = 1;
        TrainingSession session(project, NETDRAFT_SOURCE_DIR "/projects", "");
        std::vector<std::string> log;
        SessionCallbacks callbacks;
        callbacks.onLog = [&](const std::string& line) { log.push_back(line); };
        session.setCallbacks(callbacks);
        session.start();
        QVERIFY(!log.empty());
        for (const std::string& line : log)
            QVERIFY2(line.find("Sampled text") == std::string::npos, line.c_str());
    }
};

NETDRAFT_TEST(TextSamplingTest);
#include "TextSamplingTest.moc"
