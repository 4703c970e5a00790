#include "engine/import/TorchScriptOpShapes.h"

#include "engine/core/Error.h"
#include "engine/layers/InferenceContext.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/ParamCheck.h"

namespace netdraft::engine {

std::optional<Shape> importedOpShape(const ImportedOp& op, const std::vector<Shape>& inputs)
{
    const LayerType* type = LayerRegistry::instance().find(op.layerType);
    if (!type)
        return std::nullopt;
    std::vector<std::string> errors;
    const ParamMap params = checkParams(op.params, type->description(), errors);
    if (!errors.empty())
        return std::nullopt;
    InferenceContext context(type->description(), params, inputs);
    try {
        type->inferShape(context);
    } catch (const Error&) {
        return std::nullopt;
    }
    if (!context.errors().empty())
        return std::nullopt;
    return context.output();
}

} // namespace netdraft::engine
