#include "engine/layers/InferenceContext.h"

namespace netdraft::engine {

InferenceContext::InferenceContext(const LayerDescription& description, const ParamMap& params,
                                   std::vector<Shape> inputs)
    : description_(description), reader_(description, params), inputs_(std::move(inputs))
{
}

bool InferenceContext::requireRank(size_t index, int64_t rank, const std::string& layout)
{
    const Shape& shape = inputs_.at(index);
    if (shape.rank() == rank)
        return true;
    error(description_.type + " expects a " + layout + " input (rank " + std::to_string(rank) + "), got "
          + shape.toString() + " (rank " + std::to_string(shape.rank()) + ")");
    return false;
}

int64_t InferenceContext::inferFromInput(const std::string& param, int64_t actual, const std::string& what,
                                         const std::string& hint)
{
    setInferred(param, actual);
    if (!reader_.isAuto(param)) {
        int64_t pinned = reader_.integer(param);
        if (pinned != actual) {
            std::string message = description_.type + " expects " + std::to_string(pinned) + " " + what
                + " but receives " + std::to_string(actual);
            if (!hint.empty())
                message += "; " + hint;
            error(std::move(message));
        }
    }
    return actual;
}

} // namespace netdraft::engine
