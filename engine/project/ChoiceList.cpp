#include "engine/project/ChoiceList.h"

#include <algorithm>

namespace netdraft::engine {

void ChoiceList::add(const std::string& word, int listPosition)
{
    entries_.erase(
        std::remove_if(entries_.begin(), entries_.end(), [&](const auto& entry) { return entry.second == word; }),
        entries_.end());
    entries_.emplace_back(listPosition, word);
}

std::vector<std::string> ChoiceList::words() const
{
    auto sorted = entries_;
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::string> words;
    for (auto& entry : sorted)
        words.push_back(std::move(entry.second));
    return words;
}

} // namespace netdraft::engine
