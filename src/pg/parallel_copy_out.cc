#include "pg/parallel_copy_out.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace dataplane::pg {
namespace {

// A reader hands its messages over in chunks of about this size (one lock per chunk, not per
// row); a message is stored as its length (uint32, native order) and its bytes.
constexpr std::size_t kChunkBytes = 256 * 1024;

struct Chunk {
  std::size_t stream = 0;
  std::string bytes;
};

core::Error Stopped() {
  return {
      core::ErrorKind::kInternal, "copy_stopped", "the COPY was stopped by another failure", {}};
}

// The chunks between the readers and the consumer, bounded in bytes, and the first failure.
class ChunkQueue {
 public:
  ChunkQueue(std::size_t bound, std::size_t producers) : bound_(bound), done_(producers, false) {}

  //! Waits while the queue is full (a chunk larger than the bound passes an empty queue);
  //! false once a failure stopped everything.
  bool Push(Chunk chunk) {
    std::unique_lock lock(mu_);
    space_.wait(
        lock, [&] { return failure_ || chunks_.empty() || bytes_ + chunk.bytes.size() <= bound_; });
    if (failure_) return false;
    bytes_ += chunk.bytes.size();
    chunks_.push_back(std::move(chunk));
    ready_.notify_one();
    return true;
  }

  //! The next chunk; nullopt once every producer is done and all is taken, or on a failure.
  std::optional<Chunk> Pop() {
    std::unique_lock lock(mu_);
    ready_.wait(lock, [&] { return failure_ || !chunks_.empty() || AllDone(); });
    if (failure_ || chunks_.empty()) return std::nullopt;
    Chunk chunk = std::move(chunks_.front());
    chunks_.pop_front();
    bytes_ -= chunk.bytes.size();
    space_.notify_all();
    return chunk;
  }

  void ProducerDone(std::size_t index) {
    std::lock_guard lock(mu_);
    done_[index] = true;
    ready_.notify_all();
  }

  //! Waits up to `timeout` for every producer to end; the ones still running.
  std::vector<std::size_t> WaitForProducers(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    ready_.wait_for(lock, timeout, [&] { return AllDone(); });
    std::vector<std::size_t> running;
    for (std::size_t i = 0; i < done_.size(); ++i) {
      if (!done_[i]) running.push_back(i);
    }
    return running;
  }

  //! Keeps the first failure only; wakes everyone waiting.
  void Fail(core::Error error) {
    std::lock_guard lock(mu_);
    if (!failure_) failure_ = std::move(error);
    space_.notify_all();
    ready_.notify_all();
  }

  std::optional<core::Error> failure() {
    std::lock_guard lock(mu_);
    return failure_;
  }

 private:
  bool AllDone() const {  // mu_ held
    return std::find(done_.begin(), done_.end(), false) == done_.end();
  }

  const std::size_t bound_;
  std::mutex mu_;
  std::condition_variable space_;       // a chunk was taken, or a failure
  std::condition_variable ready_;       // a chunk was added, a producer ended, or a failure
  std::deque<Chunk> chunks_;            // guarded by mu_
  std::size_t bytes_ = 0;               // guarded by mu_
  std::vector<bool> done_;              // by producer; guarded by mu_
  std::optional<core::Error> failure_;  // guarded by mu_
};

void AppendMessage(std::string& chunk, std::string_view message) {
  const auto size = static_cast<std::uint32_t>(message.size());
  chunk.append(reinterpret_cast<const char*>(&size), sizeof size);
  chunk.append(message);
}

Chunk EmptyChunk(std::size_t stream) {
  Chunk chunk{stream, {}};
  chunk.bytes.reserve(kChunkBytes + kChunkBytes / 4);
  return chunk;
}

// One reader thread: its COPY into the queue, then its outcome.
void ReadStream(std::size_t index, const CopyOutStream& stream, ChunkQueue& queue) {
  Chunk chunk = EmptyChunk(index);
  core::Status status =
      stream.conn->TryCopyOut(stream.copy_sql, [&](std::string_view message) -> core::Status {
        AppendMessage(chunk.bytes, message);
        if (chunk.bytes.size() < kChunkBytes) return core::OkStatus();
        if (!queue.Push(std::exchange(chunk, EmptyChunk(index)))) return Stopped();
        return core::OkStatus();
      });
  if (status.ok() && !chunk.bytes.empty() && !queue.Push(std::move(chunk))) status = Stopped();
  if (!status.ok()) queue.Fail(status.error());
  queue.ProducerDone(index);
}

core::Status ConsumeChunk(const Chunk& chunk, const CopyMessageConsumer& consume) {
  std::string_view rest = chunk.bytes;
  while (!rest.empty()) {
    std::uint32_t size = 0;
    std::memcpy(&size, rest.data(), sizeof size);
    rest.remove_prefix(sizeof size);
    if (core::Status consumed = consume(chunk.stream, rest.substr(0, size)); !consumed) {
      return consumed;
    }
    rest.remove_prefix(size);
  }
  return core::OkStatus();
}

// Joins the reader threads however the consumer's loop ends (an exception included): threads
// still running are stopped first.
class Readers {
 public:
  explicit Readers(ChunkQueue& queue) : queue_(queue) {}
  ~Readers() {
    if (!threads_.empty()) queue_.Fail(Stopped());
    Join();
  }
  void Start(std::size_t index, const CopyOutStream& stream) {
    threads_.emplace_back(ReadStream, index, std::cref(stream), std::ref(queue_));
  }
  void Join() {
    for (std::thread& thread : threads_) thread.join();
    threads_.clear();
  }

 private:
  ChunkQueue& queue_;
  std::vector<std::thread> threads_;
};

// After a failure: the streams still running are cancelled on their servers — also one whose
// server has not sent a row yet (its reader would not notice the failure before it does), and
// again until each has ended (a cancel that reaches a session before its COPY starts is lost).
void CancelRunning(ChunkQueue& queue, const std::vector<QueryCanceller>& cancellers) {
  for (std::vector<std::size_t> running = queue.WaitForProducers(std::chrono::milliseconds(0));
       !running.empty(); running = queue.WaitForProducers(std::chrono::milliseconds(200))) {
    for (std::size_t index : running) cancellers[index].Cancel();
  }
}

}  // namespace

core::Status ParallelCopyOut(const std::vector<CopyOutStream>& streams,
                             const CopyMessageConsumer& consume, std::size_t queue_bytes) {
  std::vector<QueryCanceller> cancellers;
  for (const CopyOutStream& stream : streams) cancellers.push_back(stream.conn->Canceller());
  ChunkQueue queue(queue_bytes, streams.size());
  Readers readers(queue);
  for (std::size_t i = 0; i < streams.size(); ++i) readers.Start(i, streams[i]);
  while (std::optional<Chunk> chunk = queue.Pop()) {
    if (core::Status consumed = ConsumeChunk(*chunk, consume); !consumed) {
      queue.Fail(consumed.error());
      break;
    }
  }
  if (queue.failure()) CancelRunning(queue, cancellers);
  readers.Join();
  if (std::optional<core::Error> failure = queue.failure()) return *failure;
  return core::OkStatus();
}

}  // namespace dataplane::pg
