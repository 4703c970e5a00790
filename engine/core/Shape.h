#pragma once
// A tensor shape whose first dimension may be the symbolic batch size N.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace netdraft::engine {

/// Sizes of a tensor; a dimension equal to Shape::kBatch is the symbolic batch size, shown as "N".
class Shape {
public:
    static constexpr int64_t kBatch = -1;

    Shape() = default;
    explicit Shape(std::vector<int64_t> dims) : dims_(std::move(dims)) {}
    Shape(std::initializer_list<int64_t> dims) : dims_(dims) {}

    /// A batched shape: N followed by the per-sample sizes.
    static Shape batched(const std::vector<int64_t>& sampleDims);

    int64_t rank() const { return static_cast<int64_t>(dims_.size()); }
    int64_t operator[](int64_t index) const { return dims_.at(static_cast<size_t>(index)); }
    int64_t back() const { return dims_.back(); }
    const std::vector<int64_t>& dims() const { return dims_; }
    bool hasBatch() const { return !dims_.empty() && dims_.front() == kBatch; }
    /// Sizes without the leading batch dimension.
    std::vector<int64_t> sampleDims() const;
    /// Product of all concrete (non-batch) dimensions; saturates instead of overflowing.
    int64_t sampleElements() const;
    /// The sizes with N replaced by `batchSize`, for building real tensors.
    std::vector<int64_t> withBatch(int64_t batchSize) const;

    /// "N×64×16×16".
    std::string toString() const;

    /// Set by Flatten: the per-sample sizes that were flattened, so a later mismatch can be
    /// explained as "131072 (128×32×32)". Not part of the shape's identity.
    const std::vector<int64_t>& flattenedFrom() const { return flattenedFrom_; }
    Shape& setFlattenedFrom(std::vector<int64_t> dims)
    {
        flattenedFrom_ = std::move(dims);
        return *this;
    }

    bool operator==(const Shape& other) const { return dims_ == other.dims_; }
    bool operator!=(const Shape& other) const { return dims_ != other.dims_; }

private:
    std::vector<int64_t> dims_;
    std::vector<int64_t> flattenedFrom_;
};

/// "128×32×32": the product shown as its factors, for error messages.
std::string formatFactors(const std::vector<int64_t>& dims);

} // namespace netdraft::engine
