#include "engine/experiment/TrialResult.h"

#include "engine/core/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace netdraft::engine {

namespace {

using Json = nlohmann::json;

std::optional<double> jsonNumber(const Json& object, const char* name)
{
    const auto it = object.find(name);
    if (it == object.end() || !it->is_number())
        return std::nullopt;
    return it->get<double>();
}

int64_t jsonInteger(const Json& object, const char* name, int64_t fallback)
{
    const auto it = object.find(name);
    return it != object.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

std::string jsonText(const Json& object, const char* name)
{
    const auto it = object.find(name);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

constexpr std::array<TrialStatus, 7> kStatuses{ TrialStatus::Pending, TrialStatus::Running, TrialStatus::Completed,
    TrialStatus::Stopped, TrialStatus::Pruned, TrialStatus::Failed, TrialStatus::Cancelled };

/// The shortest text that reads back as the same double.
std::string shortestReal(double value)
{
    char text[40];
    for (int precision : { 15, 16, 17 }) {
        std::snprintf(text, sizeof text, "%.*g", precision, value);
        if (std::strtod(text, nullptr) == value)
            break;
    }
    return text;
}

std::string csvQuoted(const std::string& text)
{
    if (text.find_first_of(",\"\n\r") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char c : text)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

std::string optionalField(const std::optional<double>& value)
{
    return value ? shortestReal(*value) : std::string();
}

/// Splits CSV text into records of fields (RFC 4180: quoted fields may hold commas, quotes, newlines).
std::vector<std::vector<std::string>> csvRecords(const std::string& text)
{
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record(1);
    bool quoted = false;
    bool any = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        any = true;
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
                record.back() += '"', ++i;
            else if (c == '"')
                quoted = false;
            else
                record.back() += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            record.emplace_back();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
            records.push_back(std::move(record));
            record.assign(1, std::string());
            any = false;
        } else {
            record.back() += c;
        }
    }
    ND_CHECK(!quoted, "results.csv: a quoted field is not closed at the end of the file");
    if (any)
        records.push_back(std::move(record));
    return records;
}

std::optional<double> readOptionalReal(const std::string& text, size_t line, const char* column)
{
    if (text.empty())
        return std::nullopt;
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    ND_CHECK(end == text.c_str() + text.size(), "results.csv line ", line, ": ", column, " must be a number, got '",
        text, "'");
    return value;
}

int64_t readInteger(const std::string& text, size_t line, const char* column)
{
    char* end = nullptr;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    ND_CHECK(!text.empty() && end == text.c_str() + text.size(), "results.csv line ", line, ": ", column,
        " must be an integer, got '", text, "'");
    return value;
}

const std::vector<std::string> kFiguresColumns { "status", "epochs", "best_epoch", "best_val_loss", "best_val_accuracy",
    "test_loss", "test_accuracy", "parameters", "macs", "seconds", "message" };
/// The columns of files written before results.csv had macs.
const std::vector<std::string> kFiguresColumnsWithoutMacs { "status", "epochs", "best_epoch", "best_val_loss",
    "best_val_accuracy", "test_loss", "test_accuracy", "parameters", "seconds", "message" };

bool headerEndsWith(const std::vector<std::string>& header, const std::vector<std::string>& columns)
{
    return header.size() >= 1 + columns.size()
        && std::equal(columns.begin(), columns.end(), header.end() - columns.size());
}

std::string optionalCount(const std::optional<int64_t>& value)
{
    return value ? std::to_string(*value) : std::string();
}

} // namespace

const EpochFigures* TrainingRunRecord::best() const
{
    for (const auto& figures : epochs)
        if (figures.epoch == bestEpoch)
            return &figures;
    return nullptr;
}

TrainingRunRecord readTrainingRun(const std::string& metricsPath)
{
    TrainingRunRecord record;
    std::ifstream in(metricsPath);
    std::string line;
    while (std::getline(in, line)) {
        const Json object = Json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (!object.is_object())
            continue;
        const std::string type = jsonText(object, "type");
        if (type == "epoch") {
            EpochFigures figures;
            figures.epoch = jsonInteger(object, "epoch", 0);
            figures.trainLoss = jsonNumber(object, "train_loss").value_or(0.0);
            figures.validationLoss = jsonNumber(object, "val_loss");
            figures.validationAccuracy = jsonNumber(object, "val_accuracy");
            // A resumed run appends to the file: a later line for the same epoch replaces the earlier.
            while (!record.epochs.empty() && record.epochs.back().epoch >= figures.epoch)
                record.epochs.pop_back();
            record.epochs.push_back(figures);
        } else if (type == "result") {
            record.finished = true;
            record.stopReason = jsonText(object, "stop_reason");
            record.message = jsonText(object, "message");
            record.epochsCompleted = jsonInteger(object, "epochs_completed", 0);
            record.bestEpoch = jsonInteger(object, "best_epoch", 0);
            record.testLoss = jsonNumber(object, "test_loss");
            record.testAccuracy = jsonNumber(object, "test_accuracy");
            record.testMeanAbsoluteError = jsonNumber(object, "test_mae");
        }
    }
    return record;
}

const char* trialStatusName(TrialStatus status)
{
    switch (status) {
    case TrialStatus::Pending: return "pending";
    case TrialStatus::Running: return "running";
    case TrialStatus::Completed: return "completed";
    case TrialStatus::Stopped: return "stopped";
    case TrialStatus::Pruned: return "pruned";
    case TrialStatus::Failed: return "failed";
    case TrialStatus::Cancelled: return "cancelled";
    }
    return "unknown";
}

TrialStatus parseTrialStatus(const std::string& name)
{
    std::string names;
    for (TrialStatus status : kStatuses) {
        if (name == trialStatusName(status))
            return status;
        names += (names.empty() ? "" : ", ") + std::string(trialStatusName(status));
    }
    throw Error("unknown trial status '" + name + "'; expected one of " + names);
}

void TrialRow::takeFigures(const TrainingRunRecord& record)
{
    epochs = record.finished ? record.epochsCompleted : static_cast<int64_t>(record.epochs.size());
    bestEpoch = record.bestEpoch;
    bestValidationLoss.reset();
    bestValidationAccuracy.reset();
    if (const EpochFigures* best = record.best()) {
        bestValidationLoss = best->validationLoss;
        bestValidationAccuracy = best->validationAccuracy;
    }
    testLoss = record.testLoss;
    testAccuracy = record.testAccuracy;
}

std::string resultsCsv(const ResultsTable& table)
{
    std::ostringstream out;
    out << "trial";
    for (const auto& key : table.keys)
        out << "," << csvQuoted(key);
    for (const auto& column : kFiguresColumns)
        out << "," << column;
    out << "\n";
    for (const auto& row : table.rows) {
        ND_CHECK(row.values.size() == table.keys.size(), "trial ", row.number, " has ", row.values.size(),
            " varied values for ", table.keys.size(), " keys");
        out << row.number;
        for (const auto& value : row.values)
            out << "," << csvQuoted(value);
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.3f", row.seconds);
        out << "," << trialStatusName(row.status) << "," << row.epochs << "," << row.bestEpoch << ","
            << optionalField(row.bestValidationLoss) << "," << optionalField(row.bestValidationAccuracy) << ","
            << optionalField(row.testLoss) << "," << optionalField(row.testAccuracy) << ","
            << optionalCount(row.parameters) << "," << optionalCount(row.multiplyAccumulates) << "," << seconds << ","
            << csvQuoted(row.message) << "\n";
    }
    return out.str();
}

ResultsTable parseResultsCsv(const std::string& text)
{
    const auto records = csvRecords(text);
    ND_CHECK(!records.empty() && !records.front().empty() && records.front().front() == "trial",
        "results.csv: the first line must be the header, starting with 'trial'");
    const auto& header = records.front();
    const bool hasMacs = headerEndsWith(header, kFiguresColumns);
    ND_CHECK(hasMacs || headerEndsWith(header, kFiguresColumnsWithoutMacs),
        "results.csv: the header must end with the columns status, epochs, best_epoch, best_val_loss, "
        "best_val_accuracy, test_loss, test_accuracy, parameters, macs, seconds, message (macs may be missing)");
    ResultsTable table;
    table.keys.assign(header.begin() + 1,
        header.end() - static_cast<std::ptrdiff_t>((hasMacs ? kFiguresColumns : kFiguresColumnsWithoutMacs).size()));
    const size_t keys = table.keys.size();
    for (size_t index = 1; index < records.size(); ++index) {
        const auto& fields = records[index];
        const size_t line = index + 1;
        ND_CHECK(fields.size() == header.size(), "results.csv line ", line, ": ", fields.size(), " fields, expected ",
            header.size());
        TrialRow row;
        row.number = static_cast<int>(readInteger(fields[0], line, "trial"));
        row.values.assign(fields.begin() + 1, fields.begin() + 1 + static_cast<std::ptrdiff_t>(keys));
        const auto* figures = &fields[1 + keys];
        row.status = parseTrialStatus(figures[0]);
        row.epochs = readInteger(figures[1], line, "epochs");
        row.bestEpoch = readInteger(figures[2], line, "best_epoch");
        row.bestValidationLoss = readOptionalReal(figures[3], line, "best_val_loss");
        row.bestValidationAccuracy = readOptionalReal(figures[4], line, "best_val_accuracy");
        row.testLoss = readOptionalReal(figures[5], line, "test_loss");
        row.testAccuracy = readOptionalReal(figures[6], line, "test_accuracy");
        if (!figures[7].empty())
            row.parameters = readInteger(figures[7], line, "parameters");
        const size_t after = hasMacs ? 1 : 0; // seconds and message come after macs
        if (hasMacs && !figures[8].empty())
            row.multiplyAccumulates = readInteger(figures[8], line, "macs");
        row.seconds = readOptionalReal(figures[8 + after], line, "seconds").value_or(0.0);
        row.message = figures[9 + after];
        table.rows.push_back(std::move(row));
    }
    return table;
}

} // namespace netdraft::engine
