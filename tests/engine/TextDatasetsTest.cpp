// The text datasets: UTF-8 checks that name the bad byte, characters and words as tokens, the
// vocabulary, next-token windows compared with the text they came from, "label<TAB>text" lines, the
// generated grammar text, and both kinds loaded through the dataset registry as training loads them.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/data/DatasetDetection.h"
#include "engine/data/DatasetRegistry.h"
#include "engine/data/TextTokens.h"
#include "tests/support/TestRegistry.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace netdraft::engine;

namespace {

using Tokens = std::vector<std::string>;

std::string errorOf(const std::function<void()>& action)
{
    try {
        action();
    } catch (const Error& error) {
        return error.what();
    }
    return "(no error)";
}

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
        QCOMPARE(errorOf([] { textUnitNamed("bytes"); }), std::string("text_unit: expected characters or words, got 'bytes'"));
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
        QCOMPARE(errorOf([&] { load("text", path, { 3, 32, 32 }); }),
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
        const InMemoryDataset data
            = load("text", path, { 3 }, [](DatasetSpec& spec) {
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
        QCOMPARE(errorOf([&] { load("text", broken, { 3 }, [](DatasetSpec& spec) { spec.textTask = "line_labels"; }); }),
            broken + ", line 2: expected label<TAB>text (text_task line_labels), got no label before a tab");
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
