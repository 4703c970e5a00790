// The text datasets: UTF-8 checks that name the bad byte, characters and words as tokens, the
// vocabulary, next-token windows compared with the text they came from, "label<TAB>text" lines, the
// generated grammar text, and both kinds loaded through the dataset registry as training loads them.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/data/DatasetDetection.h"
#include "engine/data/DatasetRegistry.h"
#include "engine/data/DatasetSplit.h"
#include "engine/data/PreparedData.h"
#include "engine/data/SeededRandom.h"
#include "engine/data/TextTokens.h"
#include "engine/io/ProjectFormat.h"
#include "engine/train/TrainingSession.h"
#include "tests/support/TestRegistry.h"
#include "tests/support/ErrorOf.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <fstream>
#include <set>

using namespace netdraft::engine;
using netdraft::tests::errorOf;

namespace {

using Tokens = std::vector<std::string>;

std::string writeFile(const QTemporaryDir& folder, const std::string& name, const std::string& contents)
{
    const std::string path = folder.filePath(QString::fromStdString(name)).toStdString();
    std::ofstream(path, std::ios::binary) << contents;
    return path;
}

LoadedDataset load(const std::string& kind, const std::string& path, std::vector<int64_t> inputShape,
    const std::function<void(DatasetSpec&)>& change = {})
{
    DatasetRequest request;
    request.spec.kind = kind;
    request.spec.samples = 500;
    if (change)
        change(request.spec);
    request.path = path;
    request.expected.inputShape = std::move(inputShape);
    request.expected.inputDtype = "int64";
    return DatasetRegistry::instance().load(request);
}

/// The text a row of token ids stands for, read back through the class names (the vocabulary).
std::string decode(const InMemoryDataset& data, const torch::Tensor& ids)
{
    std::string text;
    for (int64_t i = 0; i < ids.numel(); ++i) {
        const std::string& name = data.classNames.at(static_cast<size_t>(ids[i].item<int64_t>()));
        text += name == "␣" ? " " : name;
    }
    return text;
}

/// A text of the grammar's 20 characters in which one 'Z' lies only in test windows of `length` (as the
/// target of one and in the input of the `length` after it) under `spec`'s split, which is drawn as
/// prepareData draws it. `trainWindows` gets the training windows' starts, `zAt` the Z's position.
std::string textWithZOnlyInTest(const DatasetSpec& spec, int64_t length, std::vector<int64_t>& trainWindows,
    std::vector<int64_t>& testWindows, int64_t& zAt)
{
    std::string text;
    while (text.size() < 400)
        text += "ada sees bob at noon. finn helps cleo at night. eve meets dan today. dan calls eve again. ";
    const int64_t windows = static_cast<int64_t>(text.size()) - length;
    const auto [rest, test] = splitIndices(windows, spec.testFraction, static_cast<uint64_t>(spec.splitSeed));
    const auto [trainOfRest, validationOfRest]
        = splitIndices(rest.size(0), spec.validationFraction, mixSeed({ static_cast<uint64_t>(spec.splitSeed), 1 }));
    const torch::Tensor train = rest.index_select(0, trainOfRest);
    trainWindows.assign(train.data_ptr<int64_t>(), train.data_ptr<int64_t>() + train.numel());
    testWindows.assign(test.data_ptr<int64_t>(), test.data_ptr<int64_t>() + test.numel());
    const std::set<int64_t> inTest(testWindows.begin(), testWindows.end());
    for (zAt = length; zAt < windows; ++zAt) {
        bool onlyTest = true;
        for (int64_t start = zAt - length; start <= zAt; ++start)
            onlyTest = onlyTest && inTest.count(start) > 0;
        if (onlyTest) {
            text[static_cast<size_t>(zAt)] = 'Z';
            return text;
        }
    }
    return "(no run of test windows)";
}

} // namespace

class TextDatasetsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void charactersKeepMultiByteLettersAndWordsSplitOnWhitespace()
    {
        QCOMPARE(tokenize("h\xC3\xA9 \xE2\x82\xAC!", TextUnit::Characters),
            (Tokens { "h", "\xC3\xA9", " ", "\xE2\x82\xAC", "!" }));
        QCOMPARE(tokenize("  the cat\tsat\n\non  the mat. ", TextUnit::Words),
            (Tokens { "the", "cat", "sat", "on", "the", "mat." }));
        QCOMPARE(errorOf([] { textUnitNamed("bytes"); }),
            std::string("text_unit: expected characters or words, got 'bytes'"));
    }

    void textThatIsNotUtf8IsRefusedAtItsByte()
    {
        QCOMPARE(errorOf([] { checkUtf8Text("ab\xC3(", "notes.txt"); }),
            std::string("notes.txt, byte 2: 0xC3 is not UTF-8 here; save the file as UTF-8"));
        QCOMPARE(errorOf([] { checkUtf8Text("ok\xC0\xAF", "overlong.txt"); }),
            std::string("overlong.txt, byte 2: 0xC0 is not UTF-8 here; save the file as UTF-8"));
        QCOMPARE(errorOf([] { checkUtf8Text("caf\xE9", "latin1.txt"); }),
            std::string("latin1.txt, byte 3: 0xE9 is not UTF-8 here; save the file as UTF-8"));
        QCOMPARE(errorOf([] { checkUtf8Text(std::string("PK\x03\x04\0\0", 6), "model.txt"); }),
            std::string("model.txt, byte 4: a NUL byte; this looks like a binary file, not text"));
        QCOMPARE(errorOf([] { checkUtf8Text("gr\xC3\xBC\xC3\x9F dich \xF0\x9F\x98\x80", "ok.txt"); }),
            std::string("(no error)"));
    }

    void theVocabularyRanksTokensByFrequency()
    {
        const Vocabulary vocabulary = buildVocabulary({ "b", "a", "c", "a", "b", "a" });
        QCOMPARE(vocabulary.tokens, (Tokens { "<pad>", "<unk>", "a", "b", "c" }));
        QCOMPARE(vocabulary.idOf("c"), int64_t(4));
        QCOMPARE(vocabulary.idOf("z"), Vocabulary::kUnknown);
        QCOMPARE(buildVocabulary({ " ", "\n" }).displayNames(), (Tokens { "<pad>", "<unk>", "\\n", "␣" }));
    }

    void eachWindowIsFollowedByItsTarget()
    {
        const std::string text = "abracadabra, abracadabra!";
        const Tokens tokens = tokenize(text, TextUnit::Characters);
        const InMemoryDataset data = nextTokenSamples(tokens, 4, 1000);
        QCOMPARE(data.size(), int64_t(text.size() - 4));
        QCOMPARE(data.inputs.sizes().vec(), (std::vector<int64_t> { data.size(), 4 }));
        for (int64_t s = 0; s < data.size(); ++s) {
            QCOMPARE(decode(data, data.inputs[s]), text.substr(size_t(s), 4));
            QCOMPARE(decode(data, data.targets[s].view({ 1 })), text.substr(size_t(s) + 4, 1));
        }
        // More windows than allowed: a stride keeps the count under the limit.
        const InMemoryDataset strided = nextTokenSamples(tokens, 4, 7);
        QCOMPARE(strided.size(), int64_t(7));
        QCOMPARE(decode(strided, strided.inputs[1]), text.substr(3, 4));
        QCOMPARE(errorOf([&] { nextTokenSamples(tokens, int64_t(text.size()), 10); }),
            std::string("text: 25 tokens are too few for windows of 25 tokens and the token after them; use a longer "
                        "text or a shorter Input shape"));
    }

    void aTextFileLoadsAsNextTokenWindowsOfTheInputLength()
    {
        QTemporaryDir folder;
        const std::string text = "the cat sat on the mat.\nthe dog sat on the log.\n";
        const std::string path = writeFile(folder, "story.txt", text);
        const LoadedDataset loaded = load("text", path, { 6 });
        const InMemoryDataset& data = loaded.train;
        QCOMPARE(data.size(), int64_t(text.size() - 6));
        QCOMPARE(decode(data, data.inputs[0]), text.substr(0, 6));
        QCOMPARE(data.classNames.at(size_t(data.targets[0].item<int64_t>())), std::string("t"));
        QVERIFY2(data.description.rfind("story.txt, 42 windows of 6 characters, vocabulary ", 0) == 0,
            data.description.c_str());

        const LoadedDataset words = load("text", path, { 3 }, [](DatasetSpec& spec) { spec.textUnit = "words"; });
        QCOMPARE(words.train.size(), int64_t(12 - 3));
        QCOMPARE(decode(words.train, words.train.inputs[1]), std::string("catsaton"));
        QCOMPARE(words.train.classNames.at(size_t(words.train.targets[1].item<int64_t>())), std::string("the"));
        QCOMPARE(detectDatasetKind(path), std::string("text"));

        const std::string binary = writeFile(folder, "weights.txt", std::string("\x80\x02}q\0", 5));
        QCOMPARE(errorOf([&] { load("text", binary, { 4 }); }),
            binary + ", byte 0: 0x80 is not UTF-8 here; save the file as UTF-8");
        QCOMPARE(errorOf([&] {
            load("text", path, { 3, 32, 32 });
        }),
            std::string("text: a sample is a sequence of token ids, so the Input block's shape must be [sequence "
                        "length] (with dtype int64), got [3, 32, 32]"));
        QCOMPARE(errorOf([&] { load("text", "", { 4 }); }),
            std::string("text: set the dataset path to a UTF-8 text file (.txt)"));
    }

    void labelledLinesBecomeClassesWithPaddedTokens()
    {
        QTemporaryDir folder;
        const std::string path
            = writeFile(folder, "reviews.txt", "pos\tgood film\r\nneg\tbad bad film indeed\n\npos\tgreat\n");
        const InMemoryDataset data = load("text", path, { 3 }, [](DatasetSpec& spec) {
            spec.textTask = "line_labels";
            spec.textUnit = "words";
        }).train;
        QCOMPARE(data.classNames, (Tokens { "neg", "pos" }));
        QCOMPARE(data.size(), int64_t(3));
        QCOMPARE(data.targets[0].item<int64_t>(), int64_t(1));
        QCOMPARE(data.targets[1].item<int64_t>(), int64_t(0));
        // Vocabulary: <pad>, <unk>, bad (2), film (2), good, great, indeed (ties in byte order).
        QCOMPARE(data.inputs.size(1), int64_t(3));
        QVERIFY(torch::equal(data.inputs, torch::tensor({ 4, 3, 0, 2, 2, 3, 5, 0, 0 }, torch::kInt64).view({ 3, 3 })));

        const std::string broken = writeFile(folder, "broken.txt", "pos\tfine\nno tab on this line\n");
        QCOMPARE(
            errorOf([&] { load("text", broken, { 3 }, [](DatasetSpec& spec) { spec.textTask = "line_labels"; }); }),
            broken + ", line 2: expected label<TAB>text (text_task line_labels), got no label before a tab");
    }

    /// The vocabulary is the training part's: a character only test windows hold is unknown (id 1), and
    /// the run's vocabulary.json holds the same tokens.
    void theVocabularyComesFromTheTrainingPart()
    {
        QTemporaryDir folder;
        DatasetSpec spec;
        spec.kind = "text";
        spec.testFraction = 0.3;
        spec.validationFraction = 0.1;
        spec.splitSeed = 7;
        const int64_t length = 2;
        std::vector<int64_t> trainWindows, testWindows;
        int64_t zAt = 0;
        const std::string text = textWithZOnlyInTest(spec, length, trainWindows, testWindows, zAt);
        QVERIFY2(text.find('Z') != std::string::npos, text.c_str());
        spec.path = writeFile(folder, "story.txt", text);
        const PreparedData prepared = prepareData(spec, "", { { length }, 22, true, "int64" });

        // The reference: every character of the training windows and their targets, counted by hand.
        std::vector<std::string> trainingCharacters;
        for (int64_t start : trainWindows)
            for (int64_t at = start; at <= start + length; ++at)
                trainingCharacters.emplace_back(1, text[static_cast<size_t>(at)]);
        const Vocabulary expected = buildVocabulary(trainingCharacters);
        QCOMPARE(expected.size(), int64_t(22)); // the grammar's 20 characters, without the Z
        QCOMPARE(prepared.train.vocabulary, expected.tokens);
        QCOMPARE(prepared.test.vocabulary, expected.tokens);
        QCOMPARE(prepared.train.classNames, expected.displayNames());
        QVERIFY(std::find(expected.tokens.begin(), expected.tokens.end(), "Z") == expected.tokens.end());
        // The whole text's vocabulary has the Z: loading alone does not see the split.
        QCOMPARE(load("text", spec.path, { length }).train.vocabulary.size(), size_t(23));

        // Test samples in window order: the Z is the target of one and in the input of the next ones.
        QCOMPARE(prepared.test.size(), int64_t(testWindows.size()));
        for (size_t row = 0; row < testWindows.size(); ++row) {
            const int64_t start = testWindows[row];
            for (int64_t t = 0; t <= length; ++t) {
                const char character = text[static_cast<size_t>(start + t)];
                const int64_t id = t < length ? prepared.test.inputs[int64_t(row)][t].item<int64_t>()
                                              : prepared.test.targets[int64_t(row)].item<int64_t>();
                QCOMPARE(id, character == 'Z' ? Vocabulary::kUnknown : expected.idOf(std::string(1, character)));
            }
        }
        QVERIFY(std::count(testWindows.begin(), testWindows.end(), zAt - length) == 1);
        QVERIFY(prepared.test.targets.eq(Vocabulary::kUnknown).sum().item<int64_t>() == 1);
        QVERIFY(prepared.train.inputs.eq(Vocabulary::kUnknown).sum().item<int64_t>() == 0);

        // A run of the LSTM example on this text (windows of 2) saves that vocabulary.
        std::ifstream example(NETDRAFT_SOURCE_DIR "/projects/char_lm_grammar.netdraft");
        std::string json((std::istreambuf_iterator<char>(example)), std::istreambuf_iterator<char>());
        const std::string window = "\"shape\": [24]";
        QVERIFY(json.find(window) != std::string::npos);
        json.replace(json.find(window), window.size(), "\"shape\": [2]");
        Project project = parseProject(json, "char_lm_grammar.netdraft");
        project.dataset = spec;
        project.training.epochs = 1;
        TrainingSession session(project, folder.path().toStdString(), folder.path().toStdString());
        std::string reason;
        std::vector<std::string> saved;
        SessionCallbacks callbacks;
        callbacks.onFinished = [&](const SessionOutcome& outcome) {
            reason = outcome.stopReason;
            saved = outcome.vocabulary;
        };
        session.setCallbacks(callbacks);
        session.start();
        QCOMPARE(reason, std::string("completed"));
        QCOMPARE(saved, expected.tokens);
        std::ifstream file(folder.filePath("vocabulary.json").toStdString());
        QCOMPARE(nlohmann::json::parse(file).at("tokens").get<std::vector<std::string>>(), expected.tokens);
    }

    void theGrammarTextIsSeededAndConsistent()
    {
        const InMemoryDataset a = load("grammar_text", "", { 12 }).train;
        const InMemoryDataset b = load("grammar_text", "", { 12 }).train;
        const InMemoryDataset other
            = load("grammar_text", "", { 12 }, [](DatasetSpec& spec) { spec.generatorSeed = 2; }).train;
        QCOMPARE(a.size(), int64_t(500));
        QVERIFY(torch::equal(a.inputs, b.inputs) && torch::equal(a.targets, b.targets));
        QVERIFY(!torch::equal(a.inputs, other.inputs));
        // Stride 1: each window is the previous one moved on by one character, ending in its target.
        using torch::indexing::Slice;
        for (int64_t s = 0; s + 1 < a.size(); ++s) {
            QVERIFY(torch::equal(a.inputs[s + 1].index({ Slice(0, 11) }), a.inputs[s].index({ Slice(1, 12) })));
            QCOMPARE(a.inputs[s + 1][11].item<int64_t>(), a.targets[s].item<int64_t>());
        }
        const std::string start = decode(a, a.inputs[0]);
        QVERIFY2(start.find(' ') != std::string::npos, start.c_str()); // words of the grammar
        QVERIFY(a.classNames.size() < 40); // a small alphabet: lower-case letters, space and full stop
    }
};

NETDRAFT_TEST(TextDatasetsTest);
#include "TextDatasetsTest.moc"
