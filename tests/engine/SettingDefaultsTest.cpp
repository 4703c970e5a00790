// A setting's default is written once, as its struct member's initializer; the field description
// takes it from there. This test checks that every such default is allowed by its own description:
// a choice default is one of the registered choices, a number lies in its range.

#include "engine/project/DatasetSpec.h"
#include "engine/project/TrainingSettings.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

using namespace netdraft::engine;

namespace {

/// "optimizer: \"sgdx\" must be one of ..." for every field whose default its description refuses.
template <typename Settings> std::string refusedDefaults()
{
    const Settings defaults;
    std::string text;
    for (const SettingField<Settings>& field : Settings::fields()) {
        ParamValue value = field.get(defaults);
        if (!(value == field.spec.defaultValue))
            text += "\n  " + field.spec.name + ": the description's default is not the struct's";
        if (auto error = field.spec.normalize(value))
            text += "\n  " + field.spec.name + ": " + *error;
    }
    return text;
}

} // namespace

class SettingDefaultsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void trainingDefaultsAreAllowed()
    {
        const std::string text = refusedDefaults<TrainingSettings>();
        QVERIFY2(text.empty(), text.c_str());
        QVERIFY(TrainingSettings::fields().size() > 20);
    }

    void datasetDefaultsAreAllowed()
    {
        const std::string text = refusedDefaults<DatasetSpec>();
        QVERIFY2(text.empty(), text.c_str());
        QVERIFY(DatasetSpec::fields().size() > 10);
    }

    void aDefaultOutsideItsDescriptionIsReported()
    {
        // The check itself must be able to fail: a choice default that is not registered.
        ParamSpec optimizer = findSettingField<TrainingSettings>("optimizer").spec;
        ParamValue unknown = std::string("no_such_optimizer");
        QVERIFY(optimizer.normalize(unknown).has_value());
        ParamSpec epochs = findSettingField<TrainingSettings>("epochs").spec;
        ParamValue zero = int64_t(0);
        QVERIFY(epochs.normalize(zero).has_value());
        QCOMPARE(std::get<int64_t>(epochs.defaultValue), TrainingSettings {}.epochs);
    }
};

NETDRAFT_TEST(SettingDefaultsTest);
#include "SettingDefaultsTest.moc"
