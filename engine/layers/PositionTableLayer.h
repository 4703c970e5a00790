#pragma once
// What the positional layers share: a max_len×d_model table whose first T rows are added to an
// N×T×d_model input. PositionalEncoding fills it with fixed sinusoids (a buffer), LearnedPositional-
// Embedding learns it (a parameter); shape checks, the model, and the Python and TorchScript code are one.

#include "engine/layers/LayerType.h"

#include <torch/torch.h>

namespace netdraft::engine {

class PositionTableLayer : public LayerType {
public:
    /// The table's attribute name ("pe", "weight"), whether it is trained, and the Python class that
    /// model.py gets once (its constructor takes d_model and max_len).
    struct Table {
        std::string name;
        bool learned = false;
        std::string pythonClass;
    };

    /// `summary` and `maxLenHelp` complete the description: type, display name, category Embedding,
    /// parameters d_model (inferred) and max_len.
    PositionTableLayer(const char* type, const char* displayName, const char* summary, const char* maxLenHelp,
        Table table);

    void inferShape(InferenceContext& context) const override;
    BuiltBlock build(const BuildContext& context) const override;
    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override;
    std::optional<std::string> torchScriptBody(const BuildContext& context) const override;

protected:
    /// The table's starting values, max_len×d_model.
    virtual torch::Tensor initialTable(int64_t maxLen, int64_t dModel) const = 0;

private:
    Table table_;
};

} // namespace netdraft::engine
