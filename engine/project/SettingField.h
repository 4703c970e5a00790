#pragma once
// Binds a typed settings struct member to a ParamSpec, so that one description drives the
// project file's validation, its JSON form and the GUI's settings forms (like layer parameters).

#include "engine/core/Error.h"
#include "engine/layers/ParamSpec.h"

#include <algorithm>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

namespace netdraft::engine {

/// One field of a settings struct `Settings`: its description and typed access through ParamValue.
template <typename Settings>
struct SettingField {
    ParamSpec spec;
    std::function<ParamValue(const Settings&)> get;
    std::function<void(Settings&, const ParamValue&)> set;
};

/// Descriptions of settings without a default: a setting's default is its struct member's initializer,
/// written once; bindField copies it into the description.
namespace setting {
inline ParamSpec boolean(std::string name) { return ParamSpec::boolean(std::move(name), false); }
inline ParamSpec integer(std::string name) { return ParamSpec::integer(std::move(name), 0); }
inline ParamSpec real(std::string name) { return ParamSpec::real(std::move(name), 0.0); }
inline ParamSpec text(std::string name) { return ParamSpec::text(std::move(name), {}); }
inline ParamSpec intList(std::string name) { return ParamSpec::intList(std::move(name), {}); }
inline ParamSpec realList(std::string name) { return ParamSpec::realList(std::move(name), {}); }
inline ParamSpec choice(std::string name, std::vector<std::string> choices)
{
    return ParamSpec::choice(std::move(name), {}, std::move(choices));
}
} // namespace setting

/// A field bound to `member`; the member type is bool, an integer, double, std::string, IntList or RealList.
/// The description's default is the member's initializer in a default-constructed `Settings`.
template <typename Settings, typename Member>
SettingField<Settings> bindField(ParamSpec spec, Member Settings::*member)
{
    SettingField<Settings> field;
    field.spec = std::move(spec);
    field.get = [member](const Settings& s) -> ParamValue {
        if constexpr (std::is_same_v<Member, bool> || std::is_same_v<Member, double>
                      || std::is_same_v<Member, std::string> || std::is_same_v<Member, IntList>
                      || std::is_same_v<Member, RealList>)
            return s.*member;
        else
            return static_cast<int64_t>(s.*member);
    };
    field.set = [member](Settings& s, const ParamValue& value) {
        if constexpr (std::is_same_v<Member, bool> || std::is_same_v<Member, std::string>
                      || std::is_same_v<Member, IntList> || std::is_same_v<Member, RealList>)
            s.*member = std::get<Member>(value);
        else if constexpr (std::is_same_v<Member, double>)
            s.*member = std::holds_alternative<int64_t>(value) ? static_cast<double>(std::get<int64_t>(value))
                                                               : std::get<double>(value);
        else
            s.*member = static_cast<Member>(std::get<int64_t>(value));
    };
    field.spec.defaultValue = field.get(Settings {});
    return field;
}

/// The field called `name` of `Settings::fields()`; throws Error for unknown names.
template <typename Settings>
const SettingField<Settings>& findSettingField(const std::string& name)
{
    const auto& fields = Settings::fields();
    auto it = std::find_if(fields.begin(), fields.end(), [&](const auto& field) { return field.spec.name == name; });
    ND_CHECK(it != fields.end(), "unknown setting \"", name, "\"");
    return *it;
}

} // namespace netdraft::engine
