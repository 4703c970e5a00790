#pragma once
// Sets blocks' factor on the run's learning rate (engine::Block::learningRateScale, fine-tuning: a
// pretrained block learns slower than a new head). One command for a whole selection; on a composite
// instance the factor multiplies every block inside. Repeated edits of the same blocks merge into one
// undo step (a spin box's arrows).

#include "editor/commands/DocumentCommand.h"

#include <string>
#include <utility>
#include <vector>

namespace netdraft::editor::commands {

class SetLearningRateScale : public DocumentCommand {
public:
    /// Sets every block of `blockIds` (in the graph being edited) to `scale`; throws engine::Error for
    /// an unknown id or a scale that is not > 0.
    SetLearningRateScale(GraphDocument& document, std::vector<std::string> blockIds, double scale);

    int id() const override { return kSetLearningRateScaleId; }
    bool mergeWith(const QUndoCommand* other) override;

    static constexpr int kSetLearningRateScaleId = 0x1a7e;

protected:
    void apply() override;
    void revert() override;

private:
    std::vector<std::pair<std::string, double>> before_; ///< each block's scale before the command
    double scale_;
};

} // namespace netdraft::editor::commands
