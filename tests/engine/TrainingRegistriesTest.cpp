// Optimizers, schedules and losses come from their registries: the settings' choice lists are the
// registered names, unknown names are refused with the messages they always had, isClassificationLoss
// answers from the registered flag, every entry works, and train.py has a branch for each.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/export/PythonTrainExport.h"
#include "engine/train/LearningRateSchedule.h"
#include "engine/train/LossFunction.h"
#include "engine/train/LossRegistry.h"
#include "engine/train/OptimizerFactory.h"
#include "engine/train/OptimizerRegistry.h"
#include "engine/train/ScheduleRegistry.h"
#include "tests/support/TestRegistry.h"
#include "tests/support/ErrorOf.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace netdraft::engine;
using netdraft::tests::errorOf;

namespace {

using Names = std::vector<std::string>;

/// The `choices` of the TrainingSettings field `name`.
Names settingChoices(const std::string& name)
{
    const auto& fields = TrainingSettings::fields();
    const auto field = std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return f.spec.name == name; });
    return field == fields.end() ? Names {} : field->spec.choices;
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

/// A plain entry for testing NamedRegistry on its own.
struct Word {
    std::string name;
    int listPosition = 0;
};

} // namespace

Q_DECLARE_METATYPE(Names)

class TrainingRegistriesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void choicesAreTheRegisteredNames_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<Names>("registered");
        QTest::addColumn<Names>("settingsList");
        QTest::addColumn<std::string>("defaultValue");
        QTest::addColumn<Names>("builtIn"); // today's names in their list order
        QTest::newRow("optimizer") << "optimizer" << OptimizerRegistry::instance().names()
                                   << TrainingSettings::optimizers() << TrainingSettings().optimizer
                                   << Names { "sgd", "adam", "adamw", "rmsprop", "adagrad" };
        QTest::newRow("schedule") << "schedule" << ScheduleRegistry::instance().names() << TrainingSettings::schedules()
                                  << TrainingSettings().schedule
                                  << Names { "constant", "step", "multistep", "exponential", "cosine", "onecycle" };
        QTest::newRow("loss") << "loss" << LossRegistry::instance().names() << TrainingSettings::losses()
                              << TrainingSettings().loss
                              << Names { "cross_entropy", "nll", "bce_with_logits", "mse", "l1", "smooth_l1" };
    }

    void choicesAreTheRegisteredNames()
    {
        // Project files and the training panel offer exactly the names that have an entry.
        QFETCH(QString, field);
        QFETCH(Names, registered);
        QFETCH(Names, settingsList);
        QFETCH(std::string, defaultValue);
        QFETCH(Names, builtIn);
        const Names choices = settingChoices(field.toStdString());
        QCOMPARE(choices, registered);
        QCOMPARE(settingsList, registered);
        QVERIFY(std::find(choices.begin(), choices.end(), defaultValue) != choices.end());
        // Every built-in file is compiled in and keeps its place.
        Names present;
        std::copy_if(choices.begin(), choices.end(), std::back_inserter(present),
            [&](const std::string& name) { return std::find(builtIn.begin(), builtIn.end(), name) != builtIn.end(); });
        QCOMPARE(present, builtIn);
    }

    void unknownNamesKeepTheirMessages()
    {
        TrainingSettings settings;
        settings.optimizer = "lion";
        torch::Tensor w = torch::zeros({ 1 }, torch::requires_grad());
        QCOMPARE(errorOf([&] { makeOptimizer(settings, { w }); }),
            std::string("training setting optimizer: expected sgd, adam, adamw, rmsprop or adagrad, got 'lion'"));
        settings = TrainingSettings();
        settings.schedule = "sawtooth";
        QCOMPARE(errorOf([&] { makeSchedule(settings); }),
            std::string("training setting schedule: expected constant, step, multistep, exponential, cosine or "
                        "onecycle, got 'sawtooth'"));
        QCOMPARE(errorOf([] { LossFunction("hinge"); }),
            std::string("training setting loss: expected cross_entropy, nll, bce_with_logits, mse, l1 or smooth_l1, "
                        "got 'hinge'"));
    }

    void classificationIsTheRegisteredFlag()
    {
        // The data check (isClassificationLoss) and the trainer (LossFunction) give one answer.
        for (const LossEntry& entry : LossRegistry::instance().entries()) {
            QCOMPARE(isClassificationLoss(entry.name), entry.classification);
            QCOMPARE(LossFunction(entry.name).isClassification(), entry.classification);
        }
        for (const char* name : { "cross_entropy", "nll", "bce_with_logits" })
            QVERIFY2(isClassificationLoss(name), name);
        for (const char* name : { "mse", "l1", "smooth_l1", "hinge", "" })
            QVERIFY2(!isClassificationLoss(name), name);
    }

    void everyOptimizerSteps()
    {
        // loss = Σ w², so one plain step of any optimizer moves w towards 0.
        for (const OptimizerEntry& entry : OptimizerRegistry::instance().entries()) {
            TrainingSettings settings;
            settings.optimizer = entry.name;
            settings.learningRate = 0.01;
            torch::Tensor w = torch::tensor({ 1.0, -2.0 }, torch::kDouble).requires_grad_(true);
            auto optimizer = makeOptimizer(settings, { w });
            QVERIFY2(optimizer, entry.name.c_str());
            QCOMPARE(learningRateOf(*optimizer), 0.01);
            (w * w).sum().backward();
            optimizer->step();
            QVERIFY2(std::abs(w[0].item<double>()) < 1.0 && std::abs(w[1].item<double>()) < 2.0, entry.name.c_str());
        }
    }

    void everyScheduleStartsNearTheBaseRate()
    {
        for (const ScheduleEntry& entry : ScheduleRegistry::instance().entries()) {
            TrainingSettings settings;
            settings.schedule = entry.name;
            settings.learningRate = 0.1;
            settings.epochs = 8;
            auto schedule = makeSchedule(settings);
            for (int64_t epoch = 0; epoch < settings.epochs; ++epoch) {
                const double rate = schedule->rateAt(epoch);
                // OneCycle starts at base/25; none rises above the base.
                QVERIFY2(std::isfinite(rate) && rate > 0 && rate <= 0.1 * (1 + 1e-12),
                    qPrintable(QString("%1, epoch %2: %3").arg(entry.name.c_str()).arg(epoch).arg(rate)));
            }
        }
    }

    void everyLossTakesItsTargets()
    {
        const torch::Tensor output = torch::tensor({ { 0.5, -1.0, 2.0 }, { 0.1, 0.2, -0.3 } }, torch::kDouble);
        const torch::Tensor indexes = torch::tensor({ 2, 0 }, torch::kLong);
        const torch::Tensor values = torch::tensor({ { 0.0, 1.0, 2.0 }, { 0.5, 0.5, 0.5 } }, torch::kDouble);
        for (const LossEntry& entry : LossRegistry::instance().entries()) {
            const torch::Tensor target = entry.classification ? indexes : values;
            // nll reads log-probabilities.
            const torch::Tensor input = entry.name == "nll" ? torch::log_softmax(output, 1) : output;
            const torch::Tensor loss = LossFunction(entry.name)(input, target);
            QVERIFY2(
                loss.dim() == 0 && std::isfinite(loss.item<double>()) && loss.item<double>() > 0, entry.name.c_str());
        }
    }

    void trainPyHasABranchForEveryName()
    {
        const std::string source = pythonTrainSource(TrainingSettings());
        auto branch = [](const std::string& name) { return "    if name == \"" + name + "\":\n        "; };
        for (const auto& entry : OptimizerRegistry::instance().entries())
            QVERIFY2(contains(source, branch(entry.name) + "return " + entry.python + "\n"), entry.name.c_str());
        for (const auto& entry : ScheduleRegistry::instance().entries()) {
            QVERIFY2(contains(source, branch(entry.name)), entry.name.c_str());
            QVERIFY2(contains(entry.python, "return "), entry.name.c_str());
        }
        for (const auto& entry : LossRegistry::instance().entries()) {
            QVERIFY2(contains(source, branch(entry.name)), entry.name.c_str());
            QVERIFY2(contains(entry.python, "return "), entry.name.c_str());
        }
        // The cosine branch's two lines, both indented into the function.
        QVERIFY(contains(source,
            "    if name == \"cosine\":\n"
            "        low = s[\"min_learning_rate\"] / s[\"learning_rate\"] if s[\"learning_rate\"] else 0.0\n"
            "        return low + (1 - low)"));
        for (const char* kind : { "optimizer", "schedule", "loss" })
            QVERIFY2(contains(source, std::string("    raise ValueError(\"unknown ") + kind + " \" + name)\n"), kind);
    }

    void namedRegistryOrdersByPositionAndReplaces()
    {
        NamedRegistry<Word> registry("training setting word");
        registry.add({ "gamma", 30 });
        registry.add({ "alpha", 10 });
        registry.add({ "delta", 20 });
        registry.add({ "beta", 20 }); // ties go by name
        QCOMPARE(registry.names(), (Names { "alpha", "beta", "delta", "gamma" }));
        registry.add({ "alpha", 40 }); // a second registration replaces the first
        QCOMPARE(registry.names(), (Names { "beta", "delta", "gamma", "alpha" }));
        QCOMPARE(registry.get("delta").listPosition, 20);
        QVERIFY(registry.find("epsilon") == nullptr);
        QCOMPARE(errorOf([&] { registry.get("epsilon"); }),
            std::string("training setting word: expected beta, delta, gamma or alpha, got 'epsilon'"));
        NamedRegistry<Word> single("training setting word");
        single.add({ "only", 1 });
        QCOMPARE(
            errorOf([&] { single.get("other"); }), std::string("training setting word: expected only, got 'other'"));
    }
};

NETDRAFT_TEST(TrainingRegistriesTest);
#include "TrainingRegistriesTest.moc"
