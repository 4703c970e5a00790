#pragma once
// The words of a settings choice that a registry in a higher engine folder fills at start-up
// (dataset kinds, optimizers, schedules, losses), ordered by list position.

#include <string>
#include <utility>
#include <vector>

namespace netdraft::engine {

/// Registered words with their list positions; a second registration of a word replaces the first.
class ChoiceList {
public:
    void add(const std::string& word, int listPosition);
    /// The words by list position (ties by word).
    std::vector<std::string> words() const;

private:
    std::vector<std::pair<int, std::string>> entries_;
};

} // namespace netdraft::engine
