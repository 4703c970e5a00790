#include "widgets/experiment/ExperimentResultsModel.h"

#include <QBrush>
#include <QColor>

#include <cmath>
#include <limits>

namespace netdraft::widgets {

namespace {

constexpr double kMissing = -std::numeric_limits<double>::infinity();

QVariant number(const std::optional<double>& value)
{
    return value ? *value : kMissing;
}

QString real(const std::optional<double>& value)
{
    return value ? QString::number(*value, 'g', 4) : QStringLiteral("–");
}

QColor statusColour(engine::TrialStatus status)
{
    switch (status) {
    case engine::TrialStatus::Completed:
        return QColor(0x2e, 0x7d, 0x32);
    case engine::TrialStatus::Running:
        return QColor(0x15, 0x65, 0xc0);
    case engine::TrialStatus::Failed:
        return QColor(0xc6, 0x28, 0x28);
    case engine::TrialStatus::Pruned:
    case engine::TrialStatus::Stopped:
        return QColor(0xef, 0x6c, 0x00);
    default:
        return QColor(0x75, 0x75, 0x75);
    }
}

} // namespace

ExperimentResultsModel::ExperimentResultsModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

QString ExperimentResultsModel::percent(const std::optional<double>& value)
{
    return value ? QString::number(*value * 100.0, 'f', 1) + QStringLiteral(" %") : QStringLiteral("–");
}

QString ExperimentResultsModel::count(const std::optional<int64_t>& value)
{
    if (!value)
        return QStringLiteral("–");
    const double v = double(*value);
    if (v >= 1e9)
        return QString::number(v / 1e9, 'f', 2) + QStringLiteral(" G");
    if (v >= 1e6)
        return QString::number(v / 1e6, 'f', 2) + QStringLiteral(" M");
    if (v >= 1e4)
        return QString::number(v / 1e3, 'f', 1) + QStringLiteral(" k");
    return QString::number(*value);
}

void ExperimentResultsModel::setTable(const engine::ResultsTable& table)
{
    beginResetModel();
    table_ = table;
    progress_.clear();
    multiplyAccumulates_.clear();
    endResetModel();
}

void ExperimentResultsModel::updateRow(const engine::TrialRow& row)
{
    const int index = rowOf(row.number);
    if (index < 0) {
        beginInsertRows({}, rowCount(), rowCount());
        table_.rows.push_back(row);
        endInsertRows();
        return;
    }
    table_.rows[size_t(index)] = row;
    if (row.status != engine::TrialStatus::Running)
        progress_.erase(row.number);
    Q_EMIT dataChanged(this->index(index, 0), this->index(index, columnCount() - 1));
}

void ExperimentResultsModel::setProgress(int trial, int64_t done, int64_t total)
{
    progress_[trial] = { done, total };
    const int index = rowOf(trial);
    if (index >= 0)
        Q_EMIT dataChanged(this->index(index, column(Status)), this->index(index, column(Epochs)));
}

void ExperimentResultsModel::setMultiplyAccumulates(int trial, std::optional<int64_t> count)
{
    multiplyAccumulates_[trial] = count;
    const int index = rowOf(trial);
    if (index >= 0)
        Q_EMIT dataChanged(
            this->index(index, column(MultiplyAccumulates)), this->index(index, column(MultiplyAccumulates)));
}

std::optional<int64_t> ExperimentResultsModel::multiplyAccumulates(int trial) const
{
    const auto it = multiplyAccumulates_.find(trial);
    return it == multiplyAccumulates_.end() ? std::nullopt : it->second;
}

int ExperimentResultsModel::trialAt(int row) const
{
    return row >= 0 && row < rowCount() ? table_.rows[size_t(row)].number : 0;
}

int ExperimentResultsModel::rowOf(int trial) const
{
    for (size_t index = 0; index < table_.rows.size(); ++index)
        if (table_.rows[index].number == trial)
            return int(index);
    return -1;
}

int ExperimentResultsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(table_.rows.size());
}

int ExperimentResultsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : column(FigureCount);
}

QVariant ExperimentResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return QAbstractTableModel::headerData(section, orientation, role);
    const int keys = int(table_.keys.size());
    if (section == 0)
        return tr("Trial");
    if (section <= keys)
        return QString::fromStdString(table_.keys[size_t(section - 1)]);
    static const char* const names[] = { "Status", "Best val. acc.", "Best val. loss", "Test acc.", "Test loss",
        "Parameters", "MACs", "Epochs", "Time (s)", "Message" };
    static const char* const tips[] = { "How the trial ended (or that it runs, at which epoch)",
        "Validation accuracy at the epoch the project's monitor liked best",
        "Validation loss at the epoch the project's monitor liked best", "Accuracy on the test split after training",
        "Loss on the test split after training", "Trainable values of the trial's network",
        "Multiply-accumulates of one sample's forward pass", "Epochs completed", "Wall time of the trial's process",
        "Why it failed, stopped or was pruned" };
    const int figure = section - keys - 1;
    if (figure < 0 || figure >= FigureCount)
        return {};
    return role == Qt::ToolTipRole ? tr(tips[figure]) : tr(names[figure]);
}

QVariant ExperimentResultsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const engine::TrialRow& row = table_.rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case Qt::UserRole:
        return sortValue(row, index.column());
    case Qt::ToolTipRole:
        if (index.column() == column(Message) || index.column() == column(Status))
            return QString::fromStdString(row.message);
        return {};
    case Qt::ForegroundRole:
        if (index.column() == column(Status))
            return QBrush(statusColour(row.status));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == column(Message) || index.column() == column(Status))
            return int(Qt::AlignLeft | Qt::AlignVCenter);
        return int(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant ExperimentResultsModel::display(const engine::TrialRow& row, int column) const
{
    const int keys = int(table_.keys.size());
    if (column == 0)
        return row.number;
    if (column <= keys) {
        const std::string& value = row.values[size_t(column - 1)];
        return value.empty() ? tr("(project)") : QString::fromStdString(value);
    }
    const auto progress = progress_.find(row.number);
    switch (column - keys - 1) {
    case Status:
        if (row.status == engine::TrialStatus::Running && progress != progress_.end())
            return tr("running · epoch %1 of %2").arg(progress->second.first + 1).arg(progress->second.second);
        return QString::fromLatin1(engine::trialStatusName(row.status));
    case BestValidationAccuracy:
        return percent(row.bestValidationAccuracy);
    case BestValidationLoss:
        return real(row.bestValidationLoss);
    case TestAccuracy:
        return percent(row.testAccuracy);
    case TestLoss:
        return real(row.testLoss);
    case Parameters:
        return count(row.parameters);
    case MultiplyAccumulates:
        return count(multiplyAccumulates(row.number));
    case Epochs:
        if (row.status == engine::TrialStatus::Running && progress != progress_.end())
            return QStringLiteral("%1/%2").arg(progress->second.first).arg(progress->second.second);
        return QString::number(row.epochs);
    case Seconds:
        return row.status == engine::TrialStatus::Pending ? QStringLiteral("–") : QString::number(row.seconds, 'f', 1);
    case Message:
        return QString::fromStdString(row.message);
    default:
        return {};
    }
}

QVariant ExperimentResultsModel::sortValue(const engine::TrialRow& row, int column) const
{
    const int keys = int(table_.keys.size());
    if (column == 0)
        return row.number;
    if (column <= keys) {
        const QString text = QString::fromStdString(row.values[size_t(column - 1)]);
        bool numeric = false;
        const double value = text.toDouble(&numeric);
        return numeric ? QVariant(value) : QVariant(text);
    }
    switch (column - keys - 1) {
    case Status:
        return QString::fromLatin1(engine::trialStatusName(row.status));
    case BestValidationAccuracy:
        return number(row.bestValidationAccuracy);
    case BestValidationLoss:
        return number(row.bestValidationLoss);
    case TestAccuracy:
        return number(row.testAccuracy);
    case TestLoss:
        return number(row.testLoss);
    case Parameters:
        return row.parameters ? double(*row.parameters) : kMissing;
    case MultiplyAccumulates: {
        const auto macs = multiplyAccumulates(row.number);
        return macs ? double(*macs) : kMissing;
    }
    case Epochs:
        return double(row.epochs);
    case Seconds:
        return row.seconds;
    case Message:
        return QString::fromStdString(row.message);
    default:
        return {};
    }
}

} // namespace netdraft::widgets
