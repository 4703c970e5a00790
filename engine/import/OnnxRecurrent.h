#pragma once
// ONNX LSTM and GRU nodes as Netdraft's LSTM and GRU blocks, and the reshuffles exporters write around
// them. ONNX's recurrent operators read time-first values (T×N×F, or N×T×F with layout 1) and give
// Y with a directions axis (T×D×N×H); torch.onnx.export and Netdraft's own export wrap them in a
// Transpose to time-first, a Squeeze (or Transpose + Reshape) of the directions axis and a Transpose
// back. Those values are followed as views of the block's batch-first output instead of becoming
// blocks, and a Gather of one time step is a Select of the block's output (foldLastTimeSteps turns the
// last step read by nothing else into the block's output 'last').

#include "engine/import/ImportedGraph.h"
#include "engine/import/OnnxValues.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace netdraft::engine {

/// Reads recurrent nodes and the values around them into an imported network's ops.
class OnnxRecurrentReader {
public:
    /// `tensors` maps data values to the op producing them (-1: the input); `uses` counts each value's
    /// readers. All must outlive this.
    OnnxRecurrentReader(const OnnxValues& values, std::map<std::string, int>& tensors, std::vector<ImportedOp>& ops,
        const std::map<std::string, int>& uses, std::string sourceName);

    /// Reads `node` when it is an LSTM or GRU or one of the Transpose, Squeeze, Reshape and Gather nodes
    /// that reshuffle their values; false when it is none of them. Throws UnmappedOnnxNode for a
    /// recurrent node no block computes (peepholes, other activations, a reverse-only direction) and
    /// Error for weights whose dims do not fit the node.
    bool read(const onnx::NodeProto& node, const std::string& modulePath);

    /// Why a value that no op produces cannot feed a block: it is a reshuffled view only an LSTM or GRU
    /// reads. Empty when `name` is no such view.
    std::string viewReason(const std::string& name) const;

private:
    /// How a value relates to an op's batch-first output (N×T×F).
    enum class View {
        TimeFirst, ///< dims 0 and 1 swapped: T×N×F
        Directions, ///< an ONNX Y of layout 0: T×D×N×H
        Joinable, ///< T×N×D×H (layout 0 after a Transpose) or N×T×D×H (layout 1): a Reshape joins D×H
    };
    struct ViewOf {
        int op = -1;
        View view = View::TimeFirst;
        int64_t directions = 1;
        bool timeFirst = true; ///< Joinable: T×N×D×H rather than N×T×D×H
    };

    bool recurrent(const onnx::NodeProto& node, const std::string& modulePath);
    /// The weights of one layer (all directions) under torch's names ("weight_ih_l1_reverse").
    void addWeights(const onnx::NodeProto& node, ImportedOp& op, int64_t layer, int64_t features, int64_t directions,
        int64_t hidden) const;
    /// Adds `node` as the next layer of the op it reads when that op is the same kind of block of the
    /// same module read by nothing else; false otherwise.
    bool stack(const onnx::NodeProto& node, const ImportedOp& op, bool batchFirst, int64_t directions, int64_t hidden);
    bool transpose(const onnx::NodeProto& node);
    bool squeeze(const onnx::NodeProto& node);
    bool reshape(const onnx::NodeProto& node);
    bool lastStep(const onnx::NodeProto& node, const std::string& modulePath);
    /// Records `name` as `op`'s output seen time-first (T×N×…): a view, or the op itself when the
    /// op runs time-first.
    void setTimeFirst(const std::string& name, int op, const std::string& from);
    /// `to` is read from `from` alone; a recurrent op's output read so may be the input of its next layer.
    void follow(const std::string& from, const std::string& to);
    int uses(const std::string& name) const;
    torch::Tensor weight(const onnx::NodeProto& node, int index, const char* what, std::vector<int64_t> dims) const;

    const OnnxValues& values_;
    std::map<std::string, int>& tensors_;
    std::vector<ImportedOp>& ops_;
    const std::map<std::string, int>& uses_;
    std::string sourceName_;
    std::map<std::string, ViewOf> views_;
    std::map<int, bool> batchFirst_; ///< recurrent op → whether its block reads batch-first values
    std::map<std::string, int> onlyReader_; ///< value → recurrent op whose Y alone it comes from, read once
};

} // namespace netdraft::engine
