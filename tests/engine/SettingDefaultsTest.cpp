// Each setting's default is written twice, as the struct member's initializer and in its field
// description (what project files and the settings forms use). This test keeps the two the same.

#include "engine/project/DatasetSpec.h"
#include "engine/project/TrainingSettings.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

using namespace netdraft::engine;

namespace {

/// "learning_rate: struct 0.01, description 0.001" for every field whose two defaults differ.
template <typename Settings> std::string mismatches()
{
    const Settings defaults;
    std::string text;
    for (const SettingField<Settings>& field : Settings::fields()) {
        ParamValue described = field.spec.defaultValue;
        ParamValue inStruct = field.get(defaults);
        // Reals may be described with an integer default (0 for 0.0).
        if (std::holds_alternative<double>(inStruct) && std::holds_alternative<int64_t>(described))
            described = static_cast<double>(std::get<int64_t>(described));
        if (!(described == inStruct))
            text += "\n  " + field.spec.name + ": struct " + formatParamValue(inStruct) + ", description "
                + formatParamValue(described);
    }
    return text;
}

} // namespace

class SettingDefaultsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void trainingDefaultsAgree()
    {
        const std::string text = mismatches<TrainingSettings>();
        QVERIFY2(text.empty(), text.c_str());
        QVERIFY(TrainingSettings::fields().size() > 20);
    }

    void datasetDefaultsAgree()
    {
        const std::string text = mismatches<DatasetSpec>();
        QVERIFY2(text.empty(), text.c_str());
        QVERIFY(DatasetSpec::fields().size() > 10);
    }
};

NETDRAFT_TEST(SettingDefaultsTest);
#include "SettingDefaultsTest.moc"
