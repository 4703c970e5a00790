#include "engine/data/DataLoader.h"

#include "engine/core/Error.h"
#include "engine/data/BatchAssembler.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

namespace netdraft::engine {
namespace {

/// Batches made ahead by the helper thread; 2 keeps the trainer fed without holding many batches.
constexpr size_t kPrefetchDepth = 2;

struct PrefetchedItem {
    std::optional<Batch> batch;
    std::exception_ptr error;
};

} // namespace

struct DataLoader::State {
    BatchAssembler assembler;
    bool prefetch;
    int64_t epoch = -1;
    int64_t nextBatch = 0; // without prefetch: the next batch index of the epoch

    // Prefetching: one producer thread per epoch feeding a bounded queue.
    std::thread worker;
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<PrefetchedItem> queue;
    bool stopping = false;
    bool workerDone = false;

    State(const InMemoryDataset& data, const LoaderOptions& options)
        : assembler(data, options)
        , prefetch(options.prefetch)
    {
    }

    ~State() { stopWorker(); }

    void stopWorker()
    {
        {
            std::lock_guard<std::mutex> lock(mutex);
            stopping = true;
        }
        changed.notify_all();
        if (worker.joinable())
            worker.join();
        queue.clear();
        stopping = false;
        workerDone = false;
    }

    /// Waits for room in the queue and adds `item`; false when asked to stop meanwhile.
    bool push(PrefetchedItem item)
    {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [this] { return stopping || queue.size() < kPrefetchDepth; });
        if (stopping)
            return false;
        queue.push_back(std::move(item));
        changed.notify_all();
        return true;
    }

    void startWorker()
    {
        worker = std::thread([this, epochNumber = epoch] {
            for (int64_t index = 0; index < assembler.batchesPerEpoch(); ++index) {
                PrefetchedItem item;
                try {
                    item.batch = assembler.assemble(epochNumber, index);
                } catch (...) {
                    item.error = std::current_exception();
                }
                const bool failed = item.error != nullptr;
                if (!push(std::move(item)) || failed)
                    break;
            }
            std::lock_guard<std::mutex> lock(mutex);
            workerDone = true;
            changed.notify_all();
        });
    }

    std::optional<Batch> takePrefetched()
    {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [this] { return !queue.empty() || workerDone; });
        if (queue.empty())
            return std::nullopt;
        PrefetchedItem item = std::move(queue.front());
        queue.pop_front();
        changed.notify_all();
        if (item.error)
            std::rethrow_exception(item.error);
        return std::move(item.batch);
    }
};

DataLoader::DataLoader(const InMemoryDataset& data, LoaderOptions options)
    : state_(std::make_unique<State>(data, options))
{
}

DataLoader::~DataLoader() = default;

int64_t DataLoader::batchesPerEpoch() const
{
    return state_->assembler.batchesPerEpoch();
}

void DataLoader::startEpoch(int64_t epoch)
{
    ND_CHECK(epoch >= 0, "data loader: epoch must be >= 0, got ", epoch);
    state_->stopWorker();
    state_->epoch = epoch;
    state_->nextBatch = 0;
    state_->assembler.startEpoch(epoch);
    if (state_->prefetch)
        state_->startWorker();
}

std::optional<Batch> DataLoader::next()
{
    if (state_->epoch < 0)
        startEpoch(0);
    if (state_->prefetch)
        return state_->takePrefetched();
    if (state_->nextBatch >= state_->assembler.batchesPerEpoch())
        return std::nullopt;
    return state_->assembler.assemble(state_->epoch, state_->nextBatch++);
}

} // namespace netdraft::engine
