#include "engine/data/NormalizationStats.h"

#include "engine/core/Error.h"

#include <cmath>

namespace netdraft::engine {

Normalization computeNormalization(const InMemoryDataset& data)
{
    Normalization result;
    if (data.size() == 0 || data.inputs.scalar_type() == torch::kInt64 || data.inputs.dim() < 2)
        return result;
    const int64_t channels = data.inputs.size(1);
    torch::Tensor sum = torch::zeros({ channels }, torch::kFloat64);
    torch::Tensor squares = torch::zeros({ channels }, torch::kFloat64);
    std::vector<int64_t> reduce { 0 };
    for (int64_t d = 2; d < data.inputs.dim(); ++d)
        reduce.push_back(d);
    constexpr int64_t kChunk = 2048;
    for (int64_t start = 0; start < data.size(); start += kChunk) {
        torch::Tensor chunk = data.inputs.narrow(0, start, std::min(kChunk, data.size() - start)).to(torch::kFloat64);
        sum += chunk.sum(reduce);
        squares += chunk.square().sum(reduce);
    }
    const double count = static_cast<double>(data.inputs.numel() / channels);
    const double scale = 1.0 / data.inputScale;
    for (int64_t c = 0; c < channels; ++c) {
        double mean = sum[c].item<double>() / count;
        double variance = std::max(0.0, squares[c].item<double>() / count - mean * mean);
        double std = std::sqrt(variance) * scale;
        result.mean.push_back(mean * scale);
        result.std.push_back(std > 1e-8 ? std : 1.0);
    }
    return result;
}

} // namespace netdraft::engine
