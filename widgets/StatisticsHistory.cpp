#include "widgets/StatisticsHistory.h"

#include "engine/train/DeadReluCheck.h"

namespace netdraft::widgets {

void StatisticsHistory::clear()
{
    records_.clear();
    blockIds_.clear();
    descriptions_.clear();
    parameters_.clear();
}

void StatisticsHistory::add(const engine::StatisticsRecord& record)
{
    records_.push_back(record);
    for (const engine::BlockStatistics& block : record.blocks) {
        const QString id = QString::fromStdString(block.blockId);
        const qsizetype index = blockIds_.indexOf(id);
        if (index >= 0) {
            parameters_[size_t(index)] = parameters_[size_t(index)] || block.gradient.has_value();
            continue;
        }
        blockIds_ << id;
        QString text = QString::fromStdString(block.label.empty() ? block.blockId : block.label);
        if (!block.type.empty())
            text += QStringLiteral(" · ") + QString::fromStdString(block.type);
        descriptions_.push_back(text);
        parameters_.push_back(block.gradient.has_value());
    }
}

void StatisticsHistory::load(const QString& path)
{
    std::vector<engine::StatisticsRecord> records = engine::readStatisticsFile(path.toStdString());
    clear();
    for (const engine::StatisticsRecord& record : records)
        add(record);
}

QString StatisticsHistory::describe(const QString& blockId) const
{
    const qsizetype index = blockIds_.indexOf(blockId);
    return index < 0 ? blockId : descriptions_[size_t(index)];
}

bool StatisticsHistory::hasParameters(const QString& blockId) const
{
    const qsizetype index = blockIds_.indexOf(blockId);
    return index >= 0 && parameters_[size_t(index)];
}

QString StatisticsHistory::blockOfCanvas(const QStringList& canvasIds) const
{
    for (const QString& canvasId : canvasIds) {
        if (blockIds_.contains(canvasId))
            return canvasId;
        const QString inner = canvasId + QStringLiteral("__"); // composite expansion's id prefix
        for (const QString& id : blockIds_)
            if (id.startsWith(inner))
                return id;
    }
    return {};
}

std::vector<HistogramAtStep> StatisticsHistory::histograms(const QString& blockId, StatisticsValues values) const
{
    const std::string id = blockId.toStdString();
    std::vector<HistogramAtStep> result;
    for (const engine::StatisticsRecord& record : records_)
        for (const engine::BlockStatistics& block : record.blocks) {
            if (block.blockId != id)
                continue;
            const auto& histogram
                = values == StatisticsValues::Activations ? block.activationHistogram : block.gradientHistogram;
            if (histogram)
                result.push_back({ record.step, record.epoch, *histogram });
        }
    return result;
}

std::vector<std::pair<int64_t, double>> StatisticsHistory::gradientNorms(const QString& blockId) const
{
    const std::string id = blockId.toStdString();
    std::vector<std::pair<int64_t, double>> result;
    for (const engine::StatisticsRecord& record : records_)
        for (const engine::BlockStatistics& block : record.blocks)
            if (block.blockId == id && block.gradient)
                result.emplace_back(record.step, block.gradientNorm);
    return result;
}

QStringList StatisticsHistory::warnings() const
{
    QStringList result;
    if (records_.empty())
        return result;
    const int64_t latest = records_.back().epoch;
    std::vector<engine::StatisticsRecord> epoch;
    for (const engine::StatisticsRecord& record : records_)
        if (record.epoch == latest)
            epoch.push_back(record);
    for (const std::string& warning : engine::deadReluWarnings(engine::averageStatistics(epoch), latest))
        result << QString::fromStdString(warning);
    return result;
}

} // namespace netdraft::widgets
