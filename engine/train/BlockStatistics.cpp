#include "engine/train/BlockStatistics.h"

#include "engine/core/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>

namespace netdraft::engine {

namespace {

using StatisticsJson = nlohmann::json;

StatisticsJson jsonNumber(double value)
{
    return std::isfinite(value) ? StatisticsJson(value) : StatisticsJson(nullptr);
}

StatisticsJson wholeCounts(const std::vector<double>& counts)
{
    StatisticsJson result = StatisticsJson::array();
    for (double count : counts)
        result.push_back(static_cast<int64_t>(std::llround(count)));
    return result;
}

StatisticsJson summaryJson(const ValueSummary& summary, const std::optional<ValueHistogram>& histogram)
{
    StatisticsJson result { { "mean", jsonNumber(summary.mean) }, { "std", jsonNumber(summary.std) },
        { "zeros", jsonNumber(summary.zeroFraction) }, { "max_abs", jsonNumber(summary.maxAbs) } };
    if (histogram)
        result["histogram"] = StatisticsJson { { "low", histogram->low }, { "high", histogram->high },
            { "counts", wholeCounts(histogram->counts) } };
    return result;
}

double readNumber(const StatisticsJson& object, const char* key, const std::string& where)
{
    ND_CHECK(object.is_object() && object.contains(key), where, ": \"", key, "\" is missing");
    const StatisticsJson& value = object.at(key);
    if (value.is_null())
        return std::numeric_limits<double>::quiet_NaN();
    ND_CHECK(value.is_number(), where, ": \"", key, "\" must be a number, got ", value.dump());
    return value.get<double>();
}

std::string readText(const StatisticsJson& object, const char* key, const std::string& where)
{
    ND_CHECK(object.contains(key) && object.at(key).is_string(), where, ": \"", key, "\" must be a string");
    return object.at(key).get<std::string>();
}

ValueSummary readSummary(const StatisticsJson& object, const std::string& where)
{
    ND_CHECK(object.is_object(), where, " must be an object");
    return { readNumber(object, "mean", where), readNumber(object, "std", where), readNumber(object, "zeros", where),
        readNumber(object, "max_abs", where) };
}

std::optional<ValueHistogram> readHistogram(const StatisticsJson& summary, const std::string& where)
{
    if (!summary.contains("histogram")) // written before histograms were recorded
        return std::nullopt;
    const StatisticsJson& object = summary.at("histogram");
    const std::string place = where + ".histogram";
    ValueHistogram histogram;
    histogram.low = readNumber(object, "low", place);
    histogram.high = readNumber(object, "high", place);
    ND_CHECK(object.contains("counts") && object.at("counts").is_array() && !object.at("counts").empty(), place,
        ": \"counts\" must be a list of numbers");
    for (const StatisticsJson& count : object.at("counts")) {
        ND_CHECK(count.is_number() && count.get<double>() >= 0, place, ": \"counts\" must hold counts >= 0, got ",
            count.dump());
        histogram.counts.push_back(count.get<double>());
    }
    ND_CHECK(
        histogram.low < histogram.high, place, ": low (", histogram.low, ") must be below high (", histogram.high, ")");
    return histogram;
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

int ValueHistogram::binOf(double value) const
{
    const int bins = static_cast<int>(counts.size());
    if (bins == 0 || !(value >= low && value <= high))
        return -1;
    // histc's rule: position (x - low) * bins / (high - low), the top edge in the last bin.
    const int bin = static_cast<int>((value - low) * bins / (high - low));
    return std::min(bin, bins - 1);
}

std::string statisticsJsonLine(const StatisticsRecord& record)
{
    StatisticsJson blocks = StatisticsJson::array();
    for (const BlockStatistics& block : record.blocks) {
        StatisticsJson entry { { "id", block.blockId }, { "name", block.label }, { "type", block.type },
            { "activation", summaryJson(block.activation, block.activationHistogram) } };
        if (block.gradient) {
            StatisticsJson gradient = summaryJson(*block.gradient, block.gradientHistogram);
            gradient["norm"] = jsonNumber(block.gradientNorm);
            entry["gradient"] = gradient;
        }
        blocks.push_back(entry);
    }
    return StatisticsJson {
        { "epoch", record.epoch }, { "batch", record.batch }, { "step", record.step }, { "blocks", blocks }
    }.dump();
}

StatisticsRecord parseStatisticsJsonLine(const std::string& line)
{
    const StatisticsJson json = StatisticsJson::parse(line, nullptr, /*allow_exceptions=*/false);
    ND_CHECK(json.is_object(), "a statistics line must be a JSON object");
    StatisticsRecord record;
    record.epoch = static_cast<int64_t>(readNumber(json, "epoch", "the line"));
    record.batch = static_cast<int64_t>(readNumber(json, "batch", "the line"));
    record.step = static_cast<int64_t>(readNumber(json, "step", "the line"));
    ND_CHECK(json.contains("blocks") && json.at("blocks").is_array(), "the line: \"blocks\" must be a list");
    for (const StatisticsJson& entry : json.at("blocks")) {
        const std::string where = "block " + std::to_string(record.blocks.size() + 1);
        ND_CHECK(entry.is_object(), where, " must be an object");
        BlockStatistics block;
        block.blockId = readText(entry, "id", where);
        const std::string named = "block " + block.blockId;
        block.label = readText(entry, "name", named);
        block.type = entry.contains("type") && entry.at("type").is_string() ? entry.at("type").get<std::string>() : "";
        ND_CHECK(entry.contains("activation"), named, ": \"activation\" is missing");
        block.activation = readSummary(entry.at("activation"), named + " activation");
        block.activationHistogram = readHistogram(entry.at("activation"), named + " activation");
        if (entry.contains("gradient")) {
            const StatisticsJson& gradient = entry.at("gradient");
            block.gradient = readSummary(gradient, named + " gradient");
            block.gradientNorm = readNumber(gradient, "norm", named + " gradient");
            block.gradientHistogram = readHistogram(gradient, named + " gradient");
        }
        record.blocks.push_back(std::move(block));
    }
    return record;
}

std::vector<StatisticsRecord> readStatisticsFile(const std::string& path)
{
    std::ifstream file(path);
    ND_CHECK(file.is_open(), "cannot open ", path);
    std::vector<StatisticsRecord> records;
    int lineNumber = 0;
    for (std::string line; std::getline(file, line);) {
        ++lineNumber;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        try {
            records.push_back(parseStatisticsJsonLine(line));
        } catch (const std::exception& error) {
            throw Error(path + ", line " + std::to_string(lineNumber) + ": " + error.what());
        }
    }
    return records;
}

} // namespace netdraft::engine
