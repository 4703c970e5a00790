#pragma once
// Sums gradients over the ranks in buckets while the backward pass runs: a hook on each parameter
// copies its gradient into its bucket, and a full bucket is all-reduced at once (in bucket order, the
// same on every rank, as c10d's Reducer does), so communication overlaps the rest of the backward pass.

#include "engine/distributed/DistributedContext.h"

#include <memory>
#include <vector>

namespace netdraft::engine {

class GradientReducer {
public:
    /// Default bucket size, as DistributedDataParallel's bucket_cap_mb.
    static constexpr int64_t defaultBucketBytes = 25 * 1024 * 1024;

    /// `parameters`: the trainable ones, the same list in the same order on every rank. Registers the hooks.
    GradientReducer(std::shared_ptr<DistributedContext> context, std::vector<at::Tensor> parameters,
        int64_t bucketBytes = defaultBucketBytes);
    /// Removes the hooks.
    ~GradientReducer();
    GradientReducer(const GradientReducer&) = delete;
    GradientReducer& operator=(const GradientReducer&) = delete;

    /// Before a backward pass: each gradient is weighted by `share` (this rank's samples over the
    /// step's samples on all ranks), so that the sum is the gradient of the global batch's mean loss.
    void prepare(double share);
    /// After the backward pass (or instead of it, when this rank had no samples): reduces the buckets
    /// still pending, waits for all and writes the sums into the parameters' gradients.
    void finish();

    int64_t bucketCount() const { return static_cast<int64_t>(buckets_.size()); }

private:
    struct Slot {
        size_t bucket = 0;
        int64_t offset = 0;
        bool ready = false;
    };
    struct Bucket {
        at::Tensor flat; ///< the gradients of its parameters, end to end
        std::vector<size_t> parameters;
        size_t pending = 0;
        c10::intrusive_ptr<c10d::Work> work;
    };
    void onGradient(size_t parameter, const at::Tensor& gradient);
    /// Starts the buckets that are complete, in order, up to the first incomplete one.
    void launchReady();
    void launch(Bucket& bucket);

    std::shared_ptr<DistributedContext> context_;
    std::vector<at::Tensor> parameters_;
    std::vector<Slot> slots_;
    std::vector<Bucket> buckets_;
    std::vector<unsigned> hooks_;
    size_t nextToLaunch_ = 0;
    double share_ = 1.0;
    bool prepared_ = false;
};

} // namespace netdraft::engine
