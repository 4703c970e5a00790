// libFuzzer harness: the text dataset's reading — the UTF-8 check, then the same bytes as characters
// and words, as next-token windows and as label<TAB>text lines.

#include "FuzzInputFile.h"

#include "engine/core/Error.h"
#include "engine/data/FileBytes.h"
#include "engine/data/TextTokens.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace netdraft::engine;
    const std::string& path = netdraft::fuzz::writeInputFile(data, size, ".txt");
    try {
        const FileBytes file = readFileBytes(path);
        const std::string text(file.bytes.begin(), file.bytes.end());
        checkUtf8Text(text, path);
        for (TextUnit unit : { TextUnit::Characters, TextUnit::Words }) {
            try {
                (void)nextTokenSamples(tokenize(text, unit), 4, 1000);
            } catch (const Error&) {
            }
            try {
                (void)lineLabelSamples(text, unit, 4, path);
            } catch (const Error&) {
            }
        }
    } catch (const Error&) {
    }
    return 0;
}
