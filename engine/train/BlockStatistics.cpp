#include "engine/train/BlockStatistics.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>

namespace netdraft::engine {

namespace {

using Json = nlohmann::json;

Json jsonNumber(double value)
{
    return std::isfinite(value) ? Json(value) : Json(nullptr);
}

Json summaryJson(const ValueSummary& summary)
{
    return Json { { "mean", jsonNumber(summary.mean) }, { "std", jsonNumber(summary.std) },
        { "zeros", jsonNumber(summary.zeroFraction) }, { "max_abs", jsonNumber(summary.maxAbs) } };
}

void add(ValueSummary& total, const ValueSummary& value)
{
    total.mean += value.mean;
    total.std += value.std;
    total.zeroFraction += value.zeroFraction;
    total.maxAbs += value.maxAbs;
}

void divide(ValueSummary& total, double count)
{
    total.mean /= count;
    total.std /= count;
    total.zeroFraction /= count;
    total.maxAbs /= count;
}

} // namespace

std::vector<BlockStatistics> averageStatistics(const std::vector<StatisticsRecord>& records)
{
    std::vector<BlockStatistics> result;
    std::map<std::string, size_t> position;
    std::vector<double> counts;
    std::vector<double> gradientCounts;
    for (const StatisticsRecord& record : records)
        for (const BlockStatistics& block : record.blocks) {
            auto [it, added] = position.emplace(block.blockId, result.size());
            if (added) {
                BlockStatistics empty;
                empty.blockId = block.blockId;
                empty.label = block.label;
                empty.type = block.type;
                result.push_back(empty);
                counts.push_back(0);
                gradientCounts.push_back(0);
            }
            BlockStatistics& total = result[it->second];
            add(total.activation, block.activation);
            counts[it->second] += 1;
            if (block.gradient) {
                if (!total.gradient)
                    total.gradient = ValueSummary {};
                add(*total.gradient, *block.gradient);
                total.gradientNorm += block.gradientNorm;
                gradientCounts[it->second] += 1;
            }
        }
    for (size_t i = 0; i < result.size(); ++i) {
        divide(result[i].activation, counts[i]);
        if (result[i].gradient) {
            divide(*result[i].gradient, gradientCounts[i]);
            result[i].gradientNorm /= gradientCounts[i];
        }
    }
    return result;
}

std::string statisticsJsonLine(const StatisticsRecord& record)
{
    Json blocks = Json::array();
    for (const BlockStatistics& block : record.blocks) {
        Json entry { { "id", block.blockId }, { "name", block.label }, { "type", block.type },
            { "activation", summaryJson(block.activation) } };
        if (block.gradient) {
            Json gradient = summaryJson(*block.gradient);
            gradient["norm"] = jsonNumber(block.gradientNorm);
            entry["gradient"] = gradient;
        }
        blocks.push_back(entry);
    }
    return Json {
        { "epoch", record.epoch }, { "batch", record.batch }, { "step", record.step }, { "blocks", blocks }
    }.dump();
}

} // namespace netdraft::engine
