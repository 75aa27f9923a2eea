#pragma once
// Batches handed from one thread to another through a bounded queue. The
// producer fills batches it takes empty, the consumer empties them and gives
// them back: at most `depth` batches ever exist, so memory stays bounded
// whichever side is faster, and a batch's buffers are reused, not
// reallocated. Either side can stop the other: the producer closes when it
// has nothing more, the consumer stops when it gives up early.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

namespace influence::lib {

template <class Batch>
class Handoff {
 public:
  explicit Handoff(std::size_t depth) : empty_(depth) {}

  // Producer: a batch to fill, or nullopt once the consumer has stopped.
  std::optional<Batch> take_empty() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return stopped_ || !empty_.empty(); });
    if (stopped_) return std::nullopt;
    Batch b = std::move(empty_.back());
    empty_.pop_back();
    return b;
  }
  void put_full(Batch b) {
    {
      std::lock_guard lock(mutex_);
      full_.push_back(std::move(b));
    }
    changed_.notify_all();
  }
  // Producer: no more batches.
  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    changed_.notify_all();
  }

  // Consumer: the next full batch in the order they were put, or nullopt
  // once the producer has closed and every batch has been taken.
  std::optional<Batch> take_full() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return closed_ || !full_.empty(); });
    if (full_.empty()) return std::nullopt;
    Batch b = std::move(full_.front());
    full_.pop_front();
    return b;
  }
  void give_back(Batch b) {
    {
      std::lock_guard lock(mutex_);
      empty_.push_back(std::move(b));
    }
    changed_.notify_all();
  }
  // Consumer: wants no more; a producer waiting for an empty batch returns.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopped_ = true;
    }
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Batch> empty_;
  std::deque<Batch> full_;
  bool closed_ = false, stopped_ = false;
};

}  // namespace influence::lib
