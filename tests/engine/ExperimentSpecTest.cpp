// What an experiment varies: keys resolved against the project, values parsed through their ParamSpec,
// errors that name the key and what is allowed; the trials of a grid, a random search and a list, each
// the base project with exactly its values changed.

#include "engine/core/Error.h"
#include "engine/experiment/ExperimentSpec.h"
#include "engine/experiment/ExperimentTrials.h"
#include "engine/io/ProjectFormat.h"
#include "tests/support/TestRegistry.h"
#include "tests/support/ErrorOf.h"

#include <QTest>

#include <set>

using namespace netdraft::engine;
using netdraft::tests::errorOf;

namespace {

Project exampleProject(const char* name)
{
    return loadProjectFile(std::string(NETDRAFT_SOURCE_DIR) + "/projects/" + name);
}

/// The values of a trial as "key=text" strings, for comparing with hand-written expectations.
std::vector<std::string> trialValueTexts(const Trial& trial)
{
    std::vector<std::string> texts;
    for (const auto& assignment : trial.values)
        texts.push_back(assignment.key.text() + "=" + assignment.value.text);
    return texts;
}

ExperimentSpec gridSpecOf(const Project& base, const std::vector<std::string>& axes)
{
    ExperimentSpec spec;
    for (const auto& axis : axes)
        spec.axes.push_back(parseExperimentAxis(base, axis));
    return spec;
}

} // namespace

Q_DECLARE_METATYPE(ParamValue)

class ExperimentSpecTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void valuesParseThroughTheirParamSpec_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("text");
        QTest::addColumn<ParamValue>("expected");
        QTest::newRow("real") << "training.learning_rate" << "1e-3" << ParamValue(0.001);
        QTest::newRow("integer for a real") << "training.learning_rate" << "1" << ParamValue(1.0);
        QTest::newRow("integer") << "training.batch_size" << "32" << ParamValue(int64_t{ 32 });
        QTest::newRow("flag") << "training.nesterov" << "true" << ParamValue(true);
        QTest::newRow("choice") << "training.optimizer" << "adamw" << ParamValue(std::string("adamw"));
        QTest::newRow("dataset real") << "dataset.validation_fraction" << "0.25" << ParamValue(0.25);
        QTest::newRow("integer list") << "training.milestones" << "[10, 20]" << ParamValue(IntList{ 10, 20 });
        QTest::newRow("real list") << "dataset.mean" << "[0.5,0.25]" << ParamValue(RealList{ 0.5, 0.25 });
        QTest::newRow("tuple from one integer") << "conv1.kernel_size" << "5" << ParamValue(IntList{ 5, 5 });
        QTest::newRow("tuple") << "conv1.kernel_size" << "[3,5]" << ParamValue(IntList{ 3, 5 });
        QTest::newRow("tuple word") << "conv1.padding" << "same" << ParamValue(std::string("same"));
        QTest::newRow("inferred auto") << "conv1.in_channels" << "auto" << ParamValue(Auto{});
        QTest::newRow("block integer") << "conv1.out_channels" << "16" << ParamValue(int64_t{ 16 });
    }
    void valuesParseThroughTheirParamSpec()
    {
        QFETCH(QString, key);
        QFETCH(QString, text);
        QFETCH(ParamValue, expected);
        const Project base = exampleProject("classic_cnn.netdraft");
        const ExperimentValue value
            = parseExperimentValue(resolveExperimentKey(base, key.toStdString()), text.toStdString());
        QCOMPARE(formatParamValue(value.value), formatParamValue(expected));
        QVERIFY(value.value == expected);
        QCOMPARE(value.text, text.toStdString());
    }

    void errorsNameTheKeyAndWhatIsAllowed_data()
    {
        QTest::addColumn<QString>("axis");
        QTest::addColumn<QString>("message");
        QTest::newRow("no section") << "lr=1"
                                    << "'lr': expected training.<setting>, dataset.<setting> or <block id>.<parameter>";
        QTest::newRow("no equals") << "training.learning_rate 0.1"
                                   << "'training.learning_rate 0.1': expected KEY=VALUE,VALUE,… such as "
                                      "training.learning_rate=0.1,0.01, with KEY one of training.<setting>, "
                                      "dataset.<setting> or <block id>.<parameter>";
        QTest::newRow("unknown training setting")
            << "training.lr=1"
            << "unknown training setting 'lr' in 'training.lr'; expected one of epochs, batch_size, optimizer, "
               "learning_rate, momentum,";
        QTest::newRow("unknown dataset setting")
            << "dataset.size=1" << "unknown dataset setting 'size' in 'dataset.size'; expected one of kind, path, samples,";
        QTest::newRow("unknown block")
            << "conv9.out_channels=16"
            << "unknown block 'conv9' in 'conv9.out_channels'; expected training.<setting>, dataset.<setting> or "
               "<block id>.<parameter>, and the project's blocks are input, conv1, relu1, pool1, conv2,";
        QTest::newRow("unknown parameter")
            << "conv1.p=0.5"
            << "block 'conv1' (Conv2d) has no parameter 'p' in 'conv1.p'; expected one of in_channels, out_channels, "
               "kernel_size, stride, padding, dilation, groups, bias, padding_mode";
        QTest::newRow("parameterless block")
            << "relu1.inplace=true" << "block 'relu1' (ReLU) has no parameter 'inplace' in 'relu1.inplace'; it has no parameters";
        QTest::newRow("below the minimum") << "conv1.out_channels=16,0" << "conv1.out_channels=0: must be >= 1, got 0";
        QTest::newRow("above the maximum") << "training.learning_rate=0.1,20"
                                           << "training.learning_rate=20: must be <= 10, got 20";
        QTest::newRow("not a choice")
            << "training.optimizer=adam,lion"
            << "training.optimizer=lion: must be one of 'sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', got 'lion'";
        QTest::newRow("not an integer") << "training.batch_size=1.5" << "training.batch_size=1.5: must be an integer";
        QTest::newRow("not a flag") << "training.nesterov=yes" << "training.nesterov=yes: must be true or false";
        QTest::newRow("not a number") << "dataset.validation_fraction=x" << "dataset.validation_fraction=x: must be a number";
        QTest::newRow("empty value") << "training.learning_rate=0.1,"
                                     << "training.learning_rate: empty value; expected a number";
        QTest::newRow("auto where nothing is inferred")
            << "training.epochs=auto" << "training.epochs=auto: cannot be auto: it is not inferred from the input";
        QTest::newRow("tuple of the wrong size")
            << "conv1.kernel_size=[3,3,3]" << "conv1.kernel_size=[3,3,3]: must have 2 values, got 3";
        QTest::newRow("unclosed list") << "training.milestones=[1,2],[3"
                                       << "training.milestones=[3: must be a list of integers in brackets, such as [1,2]";
        QTest::newRow("tuple word not allowed")
            << "conv1.stride=same" << "conv1.stride=same: must be an integer or a list of 2 integers, got same";
    }
    void errorsNameTheKeyAndWhatIsAllowed()
    {
        QFETCH(QString, axis);
        QFETCH(QString, message);
        const Project base = exampleProject("classic_cnn.netdraft");
        const std::string error = errorOf([&] { parseExperimentAxis(base, axis.toStdString()); });
        QVERIFY2(error.rfind(message.toStdString(), 0) == 0, error.c_str());
    }

    void specErrorsSayWhatIsWrong()
    {
        const Project base = exampleProject("mlp_spirals.netdraft");
        ExperimentSpec twice = gridSpecOf(base, { "training.learning_rate=0.1", "training.learning_rate=0.01" });
        QCOMPARE(errorOf([&] { trialProjects(base, twice); }),
            std::string("training.learning_rate is varied twice; list all its values in one training.learning_rate=A,B,…"));
        ExperimentSpec tooMany = gridSpecOf(base, { "training.learning_rate=0.1,0.01", "fc1.out_features=16,32" });
        tooMany.method = SearchMethod::Random;
        tooMany.randomTrials = 5;
        QCOMPARE(errorOf([&] { trialProjects(base, tooMany); }),
            std::string("a random search of 5 trials draws distinct combinations, but the listed values give only 4; "
                        "list more values or run them all as a grid"));
        QCOMPARE(errorOf([&] { trialProjects(base, ExperimentSpec{}); }),
            std::string("the experiment varies nothing; give at least one KEY=VALUE,VALUE,…"));
        QCOMPARE(errorOf([&] { parseListedTrial(base, "training.seed=1; training.seed=2"); }),
            std::string("'training.seed=1; training.seed=2': training.seed is set twice"));
    }

    void gridIsTheCartesianProductFirstAxisSlowest()
    {
        const Project base = exampleProject("mlp_spirals.netdraft");
        const ExperimentSpec spec = gridSpecOf(
            base, { "training.learning_rate=0.1,0.01,0.001", "fc1.out_features=16,32", "training.optimizer=sgd,adam" });
        const std::vector<Trial> trials = trialProjects(base, spec);
        QCOMPARE(trials.size(), size_t{ 12 });
        // Hand-written nested loops: learning rate outermost, optimizer innermost.
        int number = 0;
        for (const char* rate : { "0.1", "0.01", "0.001" })
            for (const char* width : { "16", "32" })
                for (const char* optimizer : { "sgd", "adam" }) {
                    const Trial& trial = trials[static_cast<size_t>(number)];
                    QCOMPARE(trial.number, ++number);
                    QCOMPARE(trialValueTexts(trial),
                        (std::vector<std::string>{ std::string("training.learning_rate=") + rate,
                            std::string("fc1.out_features=") + width, std::string("training.optimizer=") + optimizer }));
                    QCOMPARE(trial.project.training.learningRate, std::stod(rate));
                    QCOMPARE(std::get<int64_t>(trial.project.graph.block("fc1").params.at("out_features")),
                        std::stoll(width));
                    QCOMPARE(trial.project.training.optimizer, std::string(optimizer));
                }
        QCOMPARE(spec.keyTexts(),
            (std::vector<std::string>{ "training.learning_rate", "fc1.out_features", "training.optimizer" }));
    }

    void trialProjectsDifferFromTheBaseOnlyInTheirValues()
    {
        const Project base = exampleProject("mlp_spirals.netdraft");
        const ExperimentSpec spec
            = gridSpecOf(base, { "training.batch_size=8,16", "dataset.validation_fraction=0.2", "fc2.out_features=8" });
        for (const Trial& trial : trialProjects(base, spec)) {
            // Undo the trial's three changes by hand: what is left must be the base, field for field.
            Project undone = trial.project;
            undone.training.batchSize = base.training.batchSize;
            undone.dataset.validationFraction = base.dataset.validationFraction;
            undone.graph.block("fc2").params["out_features"] = base.graph.block("fc2").params.at("out_features");
            QVERIFY(undone == base);
            QVERIFY(!(trial.project == base));
            QCOMPARE(trial.project.dataset.validationFraction, 0.2);
            QCOMPARE(std::get<int64_t>(trial.project.graph.block("fc2").params.at("out_features")), int64_t{ 8 });
            // The trial's project saves and loads like any project.
            QVERIFY(parseProject(serializeProject(trial.project), "trial") == trial.project);
        }
    }

    void randomSearchIsReproducibleAndDistinct()
    {
        const Project base = exampleProject("mlp_spirals.netdraft");
        ExperimentSpec spec = gridSpecOf(base,
            { "training.learning_rate=0.1,0.03,0.01,0.003,0.001", "fc1.out_features=8,16,32,64", "training.seed=1,2,3" });
        spec.method = SearchMethod::Random;
        spec.randomTrials = 7;
        spec.seed = 11;
        const auto draw = [&](uint64_t seed) {
            spec.seed = seed;
            std::vector<std::vector<std::string>> trials;
            for (const Trial& trial : trialProjects(base, spec))
                trials.push_back(trialValueTexts(trial));
            return trials;
        };
        const auto first = draw(11);
        QCOMPARE(first.size(), size_t{ 7 });
        QCOMPARE(draw(11), first); // same seed, same trials
        QVERIFY(draw(12) != first); // another seed draws others (60 combinations: a repeat is unlikely)
        // Every draw is a distinct member of the grid.
        const std::vector<Trial> grid = trialProjects(base, gridSpecOf(base,
            { "training.learning_rate=0.1,0.03,0.01,0.003,0.001", "fc1.out_features=8,16,32,64", "training.seed=1,2,3" }));
        std::set<std::vector<std::string>> all;
        for (const Trial& trial : grid)
            all.insert(trialValueTexts(trial));
        QCOMPARE(all.size(), size_t{ 60 });
        QCOMPARE(std::set<std::vector<std::string>>(first.begin(), first.end()).size(), first.size());
        for (const auto& trial : first)
            QVERIFY(all.count(trial));
        // Asking for every combination draws the whole grid, in some order.
        spec.randomTrials = 60;
        const auto everything = draw(5);
        QCOMPARE(std::set<std::vector<std::string>>(everything.begin(), everything.end()), all);
    }

    void listedTrialsRunAsWritten()
    {
        const Project base = exampleProject("mlp_spirals.netdraft");
        ExperimentSpec spec;
        spec.method = SearchMethod::List;
        spec.listedTrials.push_back(parseListedTrial(base, "training.learning_rate=0.1; fc1.out_features=16"));
        spec.listedTrials.push_back(parseListedTrial(base, "training.optimizer=sgd"));
        const std::vector<Trial> trials = trialProjects(base, spec);
        QCOMPARE(trials.size(), size_t{ 2 });
        QCOMPARE(trialValueTexts(trials[0]),
            (std::vector<std::string>{ "training.learning_rate=0.1", "fc1.out_features=16" }));
        QCOMPARE(trials[1].project.training.optimizer, std::string("sgd"));
        QCOMPARE(trials[1].project.training.learningRate, base.training.learningRate);
        QCOMPARE(spec.keyTexts(),
            (std::vector<std::string>{ "training.learning_rate", "fc1.out_features", "training.optimizer" }));
    }

    void parametersAreCountedFromTheNetwork()
    {
        Project project = exampleProject("mlp_spirals.netdraft");
        // Linear layers by hand: 2→64, 64→64, 64→2, each with a bias.
        QCOMPARE(countParameters(project), std::optional<int64_t>((2 * 64 + 64) + (64 * 64 + 64) + (64 * 2 + 2)));
        project.graph.block("fc1").params["in_features"] = int64_t{ 5 }; // the input has 2 features
        QCOMPARE(countParameters(project), std::optional<int64_t>());
    }
};

NETDRAFT_TEST(ExperimentSpecTest);
#include "ExperimentSpecTest.moc"
