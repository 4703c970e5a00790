// libFuzzer harness: the image decoder path (PNG, JPEG, BMP through stb_image, size checks, resize)
// to grey and RGB.

#include "engine/core/Error.h"
#include "engine/data/ImageDecoder.h"

#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace netdraft::engine;
    const std::vector<uint8_t> bytes(data, data + size);
    std::vector<uint8_t> out(3 * 28 * 28);
    for (int channels : { 1, 3 }) {
        try {
            decodeImageInto(bytes, "fuzz.img", channels, 28, 28, out.data());
        } catch (const Error&) {
        }
    }
    return 0;
}
