#include "engine/data/SampleDescription.h"

#include <sstream>

namespace netdraft::engine {

bool holdsImages(const InMemoryDataset& data)
{
    const auto shape = data.sampleShape();
    return data.inputs.scalar_type() == torch::kUInt8 && shape.size() == 3 && (shape[0] == 1 || shape[0] == 3);
}

namespace {

std::string targetText(const torch::Tensor& target)
{
    std::ostringstream text;
    text.precision(3);
    const torch::Tensor values = target.reshape({ -1 }).to(torch::kDouble);
    for (int64_t i = 0; i < values.size(0) && i < 4; ++i)
        text << (i ? ", " : "") << values[i].item<double>();
    if (values.size(0) > 4)
        text << ", …";
    return text.str();
}

} // namespace

PreviewSample previewSample(const InMemoryDataset& data, int64_t index)
{
    const bool image = holdsImages(data);
    PreviewSample sample;
    const torch::Tensor input = data.inputs[index].contiguous();
    if (image) {
        const uint8_t* bytes = input.data_ptr<uint8_t>();
        sample.pixels.assign(bytes, bytes + input.numel());
    } else {
        const torch::Tensor values = input.reshape({ -1 }).to(torch::kDouble);
        for (int64_t i = 0; i < values.size(0) && i < 16; ++i)
            sample.values.push_back(values[i].item<double>());
    }
    if (data.isClassification()) {
        sample.label = data.targets[index].item<int64_t>();
        if (sample.label >= 0 && sample.label < static_cast<int64_t>(data.classNames.size()))
            sample.labelText = data.classNames[static_cast<size_t>(sample.label)];
    } else {
        sample.labelText = targetText(data.targets[index]);
    }
    return sample;
}

} // namespace netdraft::engine
