#pragma once
// A typed QSettings key with its default, declared next to the code that uses it.

#include <QSettings>
#include <QVariant>

namespace netdraft::app {

template <typename Value> struct SettingKey {
    const char* name;
    Value defaultValue {};

    Value get() const
    {
        const QVariant stored = QSettings().value(QLatin1String(name));
        return stored.isValid() && stored.canConvert<Value>() ? stored.value<Value>() : defaultValue;
    }
    void set(const Value& value) const { QSettings().setValue(QLatin1String(name), QVariant::fromValue(value)); }
};

} // namespace netdraft::app
