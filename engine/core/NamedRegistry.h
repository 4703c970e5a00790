#pragma once
// What every registry of named extensions shares (optimizers, schedules, losses, export and import
// formats): entries found by name and listed by position, and the error that names the known entries.

#include "engine/core/Error.h"

#include <algorithm>
#include <string>
#include <vector>

namespace netdraft::engine {

/// Entries (structs with `name` and `listPosition`), each registered at start-up from its own file.
/// `subject` names what the entries are in errors: "training setting optimizer", "export format".
template <typename Entry> class NamedRegistry {
public:
    explicit NamedRegistry(std::string subject)
        : subject_(std::move(subject))
    {
    }

    /// Adds `entry`, replacing an entry of the same name.
    void add(Entry entry)
    {
        entries_.erase(
            std::remove_if(entries_.begin(), entries_.end(), [&](const Entry& old) { return old.name == entry.name; }),
            entries_.end());
        // Ordered as ChoiceList orders the settings' choices: by position, then by name.
        auto at = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& old) {
            return old.listPosition > entry.listPosition
                || (old.listPosition == entry.listPosition && old.name > entry.name);
        });
        entries_.insert(at, std::move(entry));
    }

    /// The entry named `name`, or null.
    const Entry* find(const std::string& name) const
    {
        auto found = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.name == name; });
        return found == entries_.end() ? nullptr : &*found;
    }

    /// The entry named `name`; throws Error "<subject>: expected a, b or c, got '<name>'".
    const Entry& get(const std::string& name) const
    {
        const Entry* entry = find(name);
        ND_CHECK(entry, subject_, ": expected ", knownNames(), ", got '", name, "'");
        return *entry;
    }

    /// Every entry, by list position (ties by name).
    const std::vector<Entry>& entries() const { return entries_; }

    std::vector<std::string> names() const
    {
        std::vector<std::string> names;
        for (const Entry& entry : entries_)
            names.push_back(entry.name);
        return names;
    }

    /// "a, b or c": the names by list position.
    std::string knownNames() const
    {
        std::string text;
        for (size_t i = 0; i < entries_.size(); ++i)
            text += (i == 0 ? "" : i + 1 == entries_.size() ? " or " : ", ") + entries_[i].name;
        return text;
    }

private:
    std::string subject_;
    std::vector<Entry> entries_;
};

} // namespace netdraft::engine

#define NETDRAFT_REGISTRY_CONCAT_INNER(a, b) a##b
#define NETDRAFT_REGISTRY_CONCAT(a, b) NETDRAFT_REGISTRY_CONCAT_INNER(a, b)
/// A uniquely named static flag set by `registration` at load time. __COUNTER__ rather than __LINE__:
/// a unity build compiles several registering files as one unit.
#define NETDRAFT_REGISTRATION(registration)                                                                      \
    static const bool NETDRAFT_REGISTRY_CONCAT(netdraftRegistered_, __COUNTER__) = (registration, true)
