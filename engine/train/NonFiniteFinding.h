#pragma once
// Why a run's loss or gradients stopped being finite: the first block found to produce NaN or inf when
// the failing batch ran again with checks after each block (NonFiniteDiagnosis). Plain values.

#include <optional>
#include <string>

namespace netdraft::engine {

/// The block that first produced a non-finite value, or the loss when every block's values were finite.
struct NonFiniteFinding {
    std::string blockId; ///< as the network runs it ("enc1__conv"); empty when the loss itself is to blame
    std::string blockLabel; ///< "Classifier (fc)"; the loss's name when blockId is empty
    std::string canvasBlockId; ///< the block to mark on the canvas (the composite instance for an inner block)
    std::string phase; ///< "forward" (its output) or "backward" (the gradient it passed on)
    std::string value; ///< "NaN" or "infinite"
    /// The range of the block's inputs (every input port together) in the failing batch, when it has any.
    std::optional<double> inputMin;
    std::optional<double> inputMax;
    bool inputFinite = true; ///< false when the inputs held NaN or inf themselves (the block passed them on)

    /// "block Classifier (fc): output became NaN in forward; its input ranged -3.2e+38 … 4.1e+38".
    std::string message() const;
    /// What happened at the block, without naming it: "output became NaN in forward; its input ranged
    /// -3.2e+38 … 4.1e+38" (the canvas marks the block); the whole message() for the loss.
    std::string detail() const;
};

} // namespace netdraft::engine
