#pragma once
// Batches handed from one thread to another through a bounded queue. The
// producer fills batches it takes empty, the consumer empties them and gives
// them back: at most `depth` batches ever exist, so memory stays bounded
// whichever side is faster, and a batch's buffers are reused, not
// reallocated. Either side can stop the other: the producer closes when it
// has nothing more, the consumer stops when it gives up early.
//
// A side that has to wait sleeps until half of the batches are ready for it,
// not one: waking a sleeping thread is a system call on each side, and a
// wake for every batch of 256 follows was 8 % of the writing thread's time in
// a fifty-million-follows import, where the reader is the faster side and
// so always asleep. Either side still goes on without waiting while a batch
// is there for it.
#include <algorithm>
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
  // A waiting side is woken for half of the batches (for the one, with a
  // depth of 1). The two never both wait for good: a side waits only after
  // finding none ready for it, so all the batches are then with the other
  // side, which wakes it once it has given back or put half of them.
  explicit Handoff(std::size_t depth) : empty_(depth), wake_at_(std::max<std::size_t>(1, depth / 2)) {}

  // Producer: a batch to fill, or nullopt once the consumer has stopped.
  std::optional<Batch> take_empty() {
    std::unique_lock lock(mutex_);
    if (!stopped_ && empty_.empty()) {
      producer_waits_ = true;
      has_empty_.wait(lock, [&] { return stopped_ || empty_.size() >= wake_at_; });
      producer_waits_ = false;
    }
    if (stopped_) return std::nullopt;
    Batch b = std::move(empty_.back());
    empty_.pop_back();
    return b;
  }
  void put_full(Batch b) {
    bool wake = false;
    {
      std::lock_guard lock(mutex_);
      full_.push_back(std::move(b));
      wake = consumer_waits_ && full_.size() >= wake_at_;
    }
    if (wake) has_full_.notify_one();
  }
  // Producer: no more batches.
  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    has_full_.notify_all();
  }

  // Consumer: the next full batch in the order they were put, or nullopt
  // once the producer has closed and every batch has been taken.
  std::optional<Batch> take_full() {
    std::unique_lock lock(mutex_);
    if (!closed_ && full_.empty()) {
      consumer_waits_ = true;
      has_full_.wait(lock, [&] { return closed_ || full_.size() >= wake_at_; });
      consumer_waits_ = false;
    }
    if (full_.empty()) return std::nullopt;
    Batch b = std::move(full_.front());
    full_.pop_front();
    return b;
  }
  void give_back(Batch b) {
    bool wake = false;
    {
      std::lock_guard lock(mutex_);
      empty_.push_back(std::move(b));
      wake = producer_waits_ && empty_.size() >= wake_at_;
    }
    if (wake) has_empty_.notify_one();
  }
  // Consumer: wants no more; a producer waiting for an empty batch returns.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopped_ = true;
    }
    has_empty_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable has_empty_, has_full_;
  std::vector<Batch> empty_;
  std::deque<Batch> full_;
  const std::size_t wake_at_;
  bool producer_waits_ = false, consumer_waits_ = false;
  bool closed_ = false, stopped_ = false;
};

}  // namespace influence::lib
