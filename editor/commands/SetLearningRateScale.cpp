#include "editor/commands/SetLearningRateScale.h"

#include "engine/core/Error.h"

#include <QCoreApplication>

#include <cmath>

namespace netdraft::editor::commands {

namespace {
QString describe(const std::vector<std::string>& ids, double scale)
{
    const QString what = ids.size() == 1
        ? toQString(ids.front())
        : QCoreApplication::translate("SetLearningRateScale", "%1 blocks").arg(ids.size());
    return QCoreApplication::translate("SetLearningRateScale", "Learning rate \u00d7 %1 for %2").arg(scale).arg(what);
}
} // namespace

SetLearningRateScale::SetLearningRateScale(GraphDocument& document, std::vector<std::string> blockIds, double scale)
    : DocumentCommand(document, describe(blockIds, scale))
    , scale_(scale)
{
    ND_CHECK(scale > 0 && std::isfinite(scale), "learning_rate_scale must be a number > 0, got ", scale);
    for (std::string& id : blockIds) {
        const double was = graph().block(id).learningRateScale;
        before_.emplace_back(std::move(id), was);
    }
}

bool SetLearningRateScale::mergeWith(const QUndoCommand* other)
{
    const auto* next = static_cast<const SetLearningRateScale*>(other);
    if (next->before_.size() != before_.size())
        return false;
    for (size_t i = 0; i < before_.size(); ++i)
        if (next->before_[i].first != before_[i].first)
            return false;
    scale_ = next->scale_;
    setText(next->text());
    bool unchanged = true;
    for (const auto& [id, was] : before_)
        unchanged = unchanged && was == scale_;
    setObsolete(unchanged);
    return true;
}

void SetLearningRateScale::apply()
{
    for (const auto& [id, was] : before_)
        setLearningRateScale(id, scale_);
}

void SetLearningRateScale::revert()
{
    for (const auto& [id, was] : before_)
        setLearningRateScale(id, was);
}

} // namespace netdraft::editor::commands
