#include "lib/read_ahead.hpp"

#include <exception>
#include <thread>

#include "lib/handoff.hpp"
#include "lib/records.hpp"

namespace influence::lib {
namespace {

// What the reader's next() gave, one record at a time, in input order.
struct Item {
  Result<bool> got = false;
  RawRecord record;
  bool fatal = false;
  ModelRecord model;  // read when `got` holds a record; no kind otherwise
};
struct Batch {
  std::vector<Item> items;
  std::size_t used = 0;        // items filled
  std::uint64_t bytes = 0;     // the source's bytes_read() after the last
};
constexpr std::size_t batch_records = 256;
// When the reader is the faster side (a follows import), it sleeps until
// half of these are free again: with 8, it is woken every fourth batch.
constexpr std::size_t batches_in_flight = 8;

class ReadAheadThread final : public ReadAhead {
 public:
  ReadAheadThread(std::unique_ptr<RecordReader> inner, std::optional<RecordKind> as)
      : inner_(std::move(inner)),
        names_(inner_->first_field_names()),
        header_(inner_->rejects_header()),
        file_(inner_->source().name()),
        as_(as) {
    thread_ = std::jthread([this] { produce(); });
  }
  ~ReadAheadThread() override {
    handoff_.stop();  // a producer waiting for an empty batch returns
    if (thread_.joinable()) thread_.join();
  }

  Result<bool> next(RawRecord& out) override {
    if (!current_ || at_ == current_->used) {
      if (current_) handoff_.give_back(std::move(*current_));
      current_ = handoff_.take_full();
      at_ = 0;
      if (!current_) {
        // The producer has ended: rethrow what it threw, else the input is over.
        if (thread_.joinable()) thread_.join();
        if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
        return false;
      }
      bytes_ = current_->bytes;
    }
    auto& item = current_->items[at_++];
    // Swapped, not copied: the caller's last record goes back to be refilled.
    std::swap(out, item.record);
    fatal_ = item.fatal;
    model_ = &item.model;
    return std::move(item.got);
  }
  ModelRecord& model() override { return *model_; }
  bool fatal() const override { return fatal_; }
  std::string rejects_header() const override { return header_; }
  std::vector<std::string> first_field_names() override { return names_; }
  const LineSource& source() const override { return inner_->source(); }
  std::uint64_t bytes_read() const override { return bytes_; }
  bool read_error() const override {
    // Read only once the producer has ended, which is when the caller asks.
    return !thread_.joinable() && inner_->read_error();
  }

 private:
  void produce() {
    try {
      for (bool more = true; more;) {
        auto batch = handoff_.take_empty();
        if (!batch) break;  // the consumer has stopped
        batch->items.resize(batch_records);
        batch->used = 0;
        while (batch->used < batch_records) {
          auto& item = batch->items[batch->used];
          item.got = inner_->next(item.record);
          if (item.got && !*item.got) {
            more = false;
            break;
          }
          read_model(item.got ? &item.record : nullptr, item.model);
          item.fatal = !item.got && inner_->fatal();
          ++batch->used;
          if (item.fatal) {
            more = false;  // the rest of the input cannot be read
            break;
          }
        }
        batch->bytes = inner_->bytes_read();
        if (batch->used > 0) handoff_.put_full(std::move(*batch));
      }
    } catch (...) {
      failure_ = std::current_exception();
    }
    handoff_.close();
  }

  // The same checks and values as the importer would get from the record
  // itself: to_post() and to_follow() reuse the model's last buffers.
  // No record (a bad one): nothing read, no kind.
  void read_model(const RawRecord* r, ModelRecord& m) const {
    m.kind = !r ? std::nullopt : r->kind ? r->kind : as_;
    m.read = {};
    if (!m.kind) return;
    switch (*m.kind) {
      case RecordKind::accounts:
        if (auto a = to_account(*r, file_))
          m.account = std::move(*a);
        else
          m.read = std::unexpected(a.error());
        break;
      case RecordKind::posts: m.read = to_post(*r, file_, m.post); break;
      case RecordKind::follows: m.read = to_follow(*r, file_, m.follow); break;
    }
  }

  std::unique_ptr<RecordReader> inner_;
  const std::vector<std::string> names_;
  const std::string header_;
  const std::string file_;  // the source's name, for errors
  const std::optional<RecordKind> as_;
  Handoff<Batch> handoff_{batches_in_flight};
  std::optional<Batch> current_;  // the consumer's batch
  std::size_t at_ = 0;
  ModelRecord* model_ = nullptr;  // the last record's, in current_
  std::uint64_t bytes_ = 0;
  bool fatal_ = false;
  std::exception_ptr failure_;  // written by the producer before close()
  std::jthread thread_;         // last: started once the rest is built
};

}  // namespace

std::unique_ptr<ReadAhead> read_ahead(std::unique_ptr<RecordReader> reader, std::optional<RecordKind> as) {
  return std::make_unique<ReadAheadThread>(std::move(reader), as);
}

}  // namespace influence::lib
