// Learning-rate schedules follow their formulas; optimizer steps equal hand-computed updates.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/train/LearningRateSchedule.h"
#include "engine/train/OptimizerFactory.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <cmath>

using namespace netdraft::engine;

Q_DECLARE_METATYPE(std::vector<double>)

namespace {

const double pi = std::acos(-1.0);

TrainingSettings scheduleSettings(const std::string& schedule, int64_t epochs)
{
    TrainingSettings settings;
    settings.schedule = schedule;
    settings.learningRate = 0.1;
    settings.epochs = epochs;
    return settings;
}

/// loss = Σ coefficient·w², so the gradient is 2·coefficient·w.
torch::Tensor quadraticLoss(const torch::Tensor& weights)
{
    return (torch::tensor({ 1.0, 3.0 }, torch::kDouble) * weights * weights).sum();
}

std::vector<double> gradientOf(const std::vector<double>& w)
{
    return { 2.0 * 1.0 * w[0], 2.0 * 3.0 * w[1] };
}

/// Runs `steps` optimizer steps on the quadratic loss and returns the weights.
std::vector<double> optimise(const TrainingSettings& settings, int steps)
{
    torch::Tensor weights = torch::tensor({ 1.0, -2.0 }, torch::kDouble).requires_grad_(true);
    auto optimizer = makeOptimizer(settings, { weights });
    for (int i = 0; i < steps; ++i) {
        optimizer->zero_grad();
        quadraticLoss(weights).backward();
        optimizer->step();
    }
    return { weights[0].item<double>(), weights[1].item<double>() };
}

} // namespace

class OptimizerScheduleTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void scheduleFollowsFormula_data()
    {
        QTest::addColumn<QString>("schedule");
        QTest::addColumn<std::vector<double>>("expected");
        const double b = 0.1;
        QTest::newRow("constant") << "constant" << std::vector<double> { b, b, b, b, b, b };
        // step_size 2, gamma 0.5
        QTest::newRow("step") << "step" << std::vector<double> { b, b, b / 2, b / 2, b / 4, b / 4 };
        // milestones {1, 3}, gamma 0.5
        QTest::newRow("multistep") << "multistep" << std::vector<double> { b, b / 2, b / 2, b / 4, b / 4, b / 4 };
        QTest::newRow("exponential") << "exponential" << std::vector<double> { b, b / 2, b / 4, b / 8, b / 16, b / 32 };
        // min 0.01 over 6 epochs: 0.01 + 0.09 (1 + cos(π e / 6)) / 2
        std::vector<double> cosine;
        for (int e = 0; e < 6; ++e)
            cosine.push_back(0.01 + 0.09 * (1 + std::cos(pi * e / 6)) / 2);
        QTest::newRow("cosine") << "cosine" << cosine;
        // PyTorch OneCycleLR, total 6 steps: up-phase ends at step 0.8, down-phase at 5;
        // start 0.004, peak 0.1, end 4e-7.
        std::vector<double> oneCycle { 0.004 };
        for (int e = 1; e < 6; ++e)
            oneCycle.push_back(4e-7 + (0.1 - 4e-7) / 2 * (1 + std::cos(pi * (e - 0.8) / (5 - 0.8))));
        QTest::newRow("onecycle") << "onecycle" << oneCycle;
    }

    void scheduleFollowsFormula()
    {
        QFETCH(QString, schedule);
        QFETCH(std::vector<double>, expected);
        TrainingSettings settings = scheduleSettings(schedule.toStdString(), 6);
        settings.stepSize = 2;
        settings.gamma = 0.5;
        settings.milestones = { 1, 3 };
        settings.minLearningRate = 0.01;
        auto rates = makeSchedule(settings);
        for (size_t e = 0; e < expected.size(); ++e) {
            const double got = rates->rateAt(static_cast<int64_t>(e));
            if (std::abs(got - expected[e]) > 1e-12 * std::max(1.0, expected[e]))
                QFAIL(qPrintable(
                    QString("epoch %1: %2 instead of %3").arg(e).arg(got, 0, 'g', 17).arg(expected[e], 0, 'g', 17)));
        }
    }

    void warmupRisesLinearlyThenHandsOver()
    {
        TrainingSettings settings = scheduleSettings("step", 8);
        settings.warmupEpochs = 3;
        settings.stepSize = 2;
        settings.gamma = 0.5;
        auto rates = makeSchedule(settings);
        const std::vector<double> expected { 0.025, 0.05, 0.075, 0.1, 0.1, 0.05, 0.05, 0.025 };
        for (size_t e = 0; e < expected.size(); ++e)
            QVERIFY(std::abs(rates->rateAt(static_cast<int64_t>(e)) - expected[e]) < 1e-15);
    }

    void applySetsEveryParameterGroup()
    {
        torch::Tensor a = torch::zeros({ 2 }, torch::requires_grad());
        torch::Tensor b = torch::zeros({ 3 }, torch::requires_grad());
        torch::optim::SGD optimizer(
            { torch::optim::OptimizerParamGroup({ a }), torch::optim::OptimizerParamGroup({ b }) },
            torch::optim::SGDOptions(1.0));
        ExponentialSchedule schedule(0.2, 0.5);
        schedule.apply(optimizer, 2, { 1.0, 1.0 }); // both groups at the run's own rate
        QCOMPARE(optimizer.param_groups()[0].options().get_lr(), 0.05);
        QCOMPARE(optimizer.param_groups()[1].options().get_lr(), 0.05);
    }

    void unknownScheduleIsRefused()
    {
        TrainingSettings settings = scheduleSettings("sawtooth", 3);
        try {
            makeSchedule(settings);
            QFAIL("an unknown schedule was accepted");
        } catch (const Error& error) {
            QVERIFY(std::string(error.what()).find("schedule: expected constant") != std::string::npos);
        }
    }

    void sgdMomentumMatchesHandUpdate_data()
    {
        QTest::addColumn<bool>("nesterov");
        QTest::addColumn<double>("weightDecay");
        QTest::newRow("heavy ball") << false << 0.0;
        QTest::newRow("nesterov") << true << 0.0;
        QTest::newRow("weight decay") << false << 0.01;
    }

    void sgdMomentumMatchesHandUpdate()
    {
        QFETCH(bool, nesterov);
        QFETCH(double, weightDecay);
        TrainingSettings settings;
        settings.optimizer = "sgd";
        settings.learningRate = 0.05;
        settings.momentum = 0.9;
        settings.nesterov = nesterov;
        settings.weightDecay = weightDecay;

        std::vector<double> w { 1.0, -2.0 }, buffer { 0.0, 0.0 };
        for (int step = 0; step < 3; ++step) {
            std::vector<double> g = gradientOf(w);
            for (int i = 0; i < 2; ++i) {
                g[i] += weightDecay * w[i];
                buffer[i] = step == 0 ? g[i] : 0.9 * buffer[i] + g[i];
                w[i] -= 0.05 * (nesterov ? g[i] + 0.9 * buffer[i] : buffer[i]);
            }
        }
        const std::vector<double> got = optimise(settings, 3);
        for (int i = 0; i < 2; ++i)
            QVERIFY2(std::abs(got[i] - w[i]) < 1e-12, qPrintable(QString("%1 vs %2").arg(got[i]).arg(w[i])));
    }

    void adamMatchesHandUpdate()
    {
        TrainingSettings settings;
        settings.optimizer = "adam";
        settings.learningRate = 0.01;
        settings.beta1 = 0.8;
        settings.beta2 = 0.99;
        std::vector<double> w { 1.0, -2.0 }, m { 0, 0 }, v { 0, 0 };
        for (int t = 1; t <= 4; ++t) {
            const std::vector<double> g = gradientOf(w);
            for (int i = 0; i < 2; ++i) {
                m[i] = 0.8 * m[i] + 0.2 * g[i];
                v[i] = 0.99 * v[i] + 0.01 * g[i] * g[i];
                const double mHat = m[i] / (1 - std::pow(0.8, t));
                const double vHat = v[i] / (1 - std::pow(0.99, t));
                w[i] -= 0.01 * mHat / (std::sqrt(vHat) + 1e-8);
            }
        }
        const std::vector<double> got = optimise(settings, 4);
        for (int i = 0; i < 2; ++i)
            QVERIFY2(std::abs(got[i] - w[i]) < 1e-10, qPrintable(QString("%1 vs %2").arg(got[i]).arg(w[i])));
    }

    void everyOptimizerDescends_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* name : { "sgd", "adam", "adamw", "rmsprop", "adagrad" })
            QTest::newRow(name) << name;
    }

    void everyOptimizerDescends()
    {
        QFETCH(QString, name);
        TrainingSettings settings;
        settings.optimizer = name.toStdString();
        settings.learningRate = 0.01;
        const std::vector<double> got = optimise(settings, 5);
        const double before = 1.0 + 3.0 * 4.0;
        const double after = got[0] * got[0] + 3.0 * got[1] * got[1];
        QVERIFY2(after < before, qPrintable(QString("loss %1 → %2").arg(before).arg(after)));
    }

    void unknownOptimizerIsRefused()
    {
        TrainingSettings settings;
        settings.optimizer = "lion";
        torch::Tensor w = torch::zeros({ 1 }, torch::requires_grad());
        try {
            makeOptimizer(settings, { w });
            QFAIL("an unknown optimizer was accepted");
        } catch (const Error& error) {
            QVERIFY(std::string(error.what()).find("got 'lion'") != std::string::npos);
        }
    }
};

NETDRAFT_TEST(OptimizerScheduleTest);
#include "OptimizerScheduleTest.moc"
