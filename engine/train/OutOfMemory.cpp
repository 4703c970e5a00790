#include "engine/train/OutOfMemory.h"

#include <c10/util/Exception.h>

#include <new>

namespace netdraft::engine {

std::optional<std::string> outOfMemoryMessage(const std::exception& error, int64_t batchSize, const std::string& device)
{
    std::string detail;
    if (const auto* torchError = dynamic_cast<const c10::Error*>(&error)) {
        const std::string text = torchError->what_without_backtrace();
        if (dynamic_cast<const c10::OutOfMemoryError*>(&error) == nullptr
            && text.find("out of memory") == std::string::npos && text.find("not enough memory") == std::string::npos)
            return std::nullopt;
        detail = text.substr(0, text.find('\n'));
    } else if (dynamic_cast<const std::bad_alloc*>(&error) == nullptr) {
        return std::nullopt;
    }
    std::string message = "out of memory on " + device + " at batch size " + std::to_string(batchSize) + "; ";
    message += batchSize > 1 ? "try a smaller batch size such as " + std::to_string(batchSize / 2)
                             : "the model does not fit even one sample; make it smaller";
    message += ", or mixed precision (bf16/fp16), which needs about half the activation memory";
    if (!detail.empty())
        message += " (LibTorch: " + detail + ")";
    return message;
}

} // namespace netdraft::engine
